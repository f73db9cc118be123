"""delivery-links (issue 15) in Chromium: every links page (the dependency diagram and table,
governance per organisation and per plan, and every add, change and delete form) passes axe at
a phone's width and a desktop's and never scrolls sideways; a cycle is refused next to its
field. The demo has no delivery items yet: a small programme is built in the SSP plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from planning.models import Plan
from tests.browser.conftest import assert_accessible, sign_in
from tests.delivery.factories_links import (
    DecisionFactory,
    DeliveryItemFactory,
    DependencyFactory,
    GovernanceBodyFactory,
    LineageFactory,
)
from tests.factories import RiskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def site(transactional_db, live_server):
    load_demo()
    plan = Plan.objects.get(slug=PLAN_SLUG)
    org = plan.organisation
    programme = DeliveryItemFactory(
        plan=plan, reference="SS1", title="Shared services programme with a long title"
    )
    hr = DeliveryItemFactory(plan=plan, parent=programme, reference="SS1.1", title="HR and payroll")
    finance = DeliveryItemFactory(plan=plan, parent=programme, reference="SS1.2", title="Finance")
    DependencyFactory(item=hr, on_item=finance, kind="needs", owner_text="Director of Finance")
    DependencyFactory(item=finance, on_item=None, external="Herefordshire Connects", kind="needs")
    DependencyFactory(item=hr, on_item=programme, kind="related", status="at_risk")
    LineageFactory(item=hr, other=finance)
    board = GovernanceBodyFactory(organisation=org, name="Shared Services Board", kind="board")
    board.plans.add(plan)
    group = GovernanceBodyFactory(
        organisation=org, name="Programme Board", parent=board, meeting_frequency="Monthly"
    )
    group.items.add(programme)
    spare = GovernanceBodyFactory(organisation=org, name="Old steering group")
    DecisionFactory(body=board).items.add(hr, finance)
    programme.risks.add(RiskFactory(organisation=org))
    live_server.records = {
        "plan": plan,
        "org": org,
        "item": hr,
        "finance": finance,
        "dependency": hr.dependencies.first(),
        "lineage": hr.lineage.first(),
        "board": board,
        "spare": spare,
        "decision": board.decisions.first(),
    }
    return live_server


def _pages(r) -> list[tuple[str, str]]:
    d = lambda name, *args: reverse(f"delivery:{name}", args=args)  # noqa: E731
    return [
        ("ssp-board", d("dependencies", r["plan"].slug)),
        ("ssp-board", d("plan_governance", r["plan"].slug)),
        ("ssp-board", d("governance", r["org"].slug)),
        ("ssp-planner", d("governance", r["org"].slug)),
        ("ssp-planner", d("dependency_create", r["item"].pk)),
        ("ssp-planner", d("dependency_edit", r["dependency"].pk)),
        ("ssp-planner", d("dependency_delete", r["dependency"].pk)),
        ("ssp-planner", d("lineage_create", r["item"].pk)),
        ("ssp-planner", d("lineage_edit", r["lineage"].pk)),
        ("ssp-planner", d("lineage_delete", r["lineage"].pk)),
        ("ssp-planner", d("item_risks", r["item"].pk)),
        ("ssp-planner", d("body_create", r["org"].slug)),
        ("ssp-planner", d("body_edit", r["board"].pk)),
        ("ssp-planner", d("body_delete", r["spare"].pk)),
        ("ssp-planner", d("body_delete", r["board"].pk)),  # refused: it has decisions
        ("ssp-planner", d("decision_create", r["board"].pk)),
        ("ssp-planner", d("decision_edit", r["decision"].pk)),
        ("ssp-planner", d("decision_delete", r["decision"].pk)),
    ]


class TestDeliveryLinksPages:
    def test_every_page_passes_axe_and_fits_a_phone(self, site, new_page):
        pages: dict[str, object] = {}
        for username, path in _pages(site.records):
            if username not in pages:
                pages[username] = new_page()
                sign_in(pages[username], username, DEMO_PASSWORD)
            page = pages[username]
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(path)
                assert response.status == 200, path
                assert not page.evaluate(SIDEWAYS), f"{path} scrolls sideways at {width}px"
                assert_accessible(page)

    def test_a_cycle_is_refused_next_to_the_field(self, site, new_page):
        r = site.records
        page = new_page()
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(reverse("delivery:dependency_create", args=[r["finance"].pk]))
        page.get_by_label("Needs", exact=True).check()
        page.get_by_label("The item it depends on").select_option(label="SS1.1 HR and payroll")
        page.get_by_role("button", name="Save").click()
        assert page.get_by_text("There is a problem").is_visible()
        assert "would close a cycle: SS1.2 needs SS1.1 and SS1.1 needs SS1.2" in page.content()
        assert_accessible(page)
