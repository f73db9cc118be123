"""The delivery hierarchy's pages in Chromium: axe at a phone's and a desktop's width, the page
never scrolls sideways (long titles, ranges and tables included), and a figure whose low is
above its high is refused next to the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planning.models import PartnershipMember
from tests.browser.conftest import assert_accessible, sign_in
from tests.delivery.factories_hierarchy import (
    DeliveryItemFactory,
    DeliveryUpdateFactory,
    YearFigureFactory,
)
from tests.factories import MembershipFactory, OrganisationFactory, PlanFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
LONG = "Collaborative productivity: back office, estates, procurement and workforce " * 2


@pytest.fixture
def site(transactional_db, live_server):
    partnership = OrganisationFactory(name="South East London STP", kind="partnership")
    for name in ("Lewisham and Greenwich NHS Trust", "Guy's and St Thomas' NHS Foundation Trust"):
        PartnershipMember.objects.create(
            partnership=partnership, member=OrganisationFactory(name=name)
        )
    plan = PlanFactory(organisation=partnership, start_year=2016, end_year=2020)
    planner = UserFactory(username="stp-planner")
    planner.set_password("password")
    planner.save()
    MembershipFactory(user=planner, organisation=partnership, role="planner")
    # A partnership role counts while its holder belongs to a member organisation.
    MembershipFactory(
        user=planner, organisation=partnership.member_links.first().member, role="viewer"
    )
    programme = DeliveryItemFactory(
        plan=plan,
        reference="CP",
        title=LONG,
        level_label="Clinical leadership group",
        sro_text="Martin Shaw",
        lead_text="Directors of finance of every member",
    )
    programme.organisations.set(partnership.member_links.values_list("member", flat=True))
    workstream = DeliveryItemFactory(
        parent=programme,
        reference="CP2",
        title="Estates",
        place="Lewisham",
        timescale_text="2016-17 to 20-21",
    )
    intervention = DeliveryItemFactory(parent=workstream, reference="CP2.1", title="One estate")
    DeliveryItemFactory(
        parent=intervention,
        reference="CP2.1.1",
        title="Business case",
        timescale_text="3 months – 3 years",
    )
    DeliveryUpdateFactory(item=programme, rag="amber", progress="Figures under analysis " * 20)
    for year in range(2016, 2021):
        YearFigureFactory(
            item=workstream, financial_year=year, low=Decimal("3400000"), high=Decimal("5400000")
        )
        YearFigureFactory(
            item=workstream,
            financial_year=year,
            confidence="delivered",
            low=Decimal("1234567.89"),
            high=Decimal("1234567.89"),
        )
    YearFigureFactory(item=workstream, measure="fte", financial_year=None, low=-60, high=-35)
    return live_server, plan, programme, workstream


class TestDeliveryPages:
    def test_every_page_passes_axe_and_fits_a_phone(self, site, page):
        _, plan, programme, workstream = site
        figure = workstream.figures.first()
        sign_in(page, "stp-planner")
        for path in [
            f"/plans/{plan.slug}/delivery/",
            f"/plans/{plan.slug}/delivery/benefits/",
            f"/delivery/items/{programme.pk}/",
            f"/delivery/items/{workstream.pk}/",
            f"/delivery/items/{programme.pk}/edit/",
            f"/plans/{plan.slug}/delivery/new/?parent={programme.pk}",
            f"/delivery/items/{workstream.pk}/figures/new/",
            f"/delivery/figures/{figure.pk}/edit/",
            f"/delivery/figures/{figure.pk}/delete/",
            f"/delivery/items/{programme.pk}/delete/",
        ]:
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(path)
                assert response.status == 200, path
                assert not page.evaluate(SIDEWAYS), f"{path} scrolls sideways at {width}px"
                assert_accessible(page)

    def test_a_range_upside_down_is_refused_next_to_the_field(self, site, page):
        _, plan, _, workstream = site
        sign_in(page, "stp-planner")
        page.goto(f"/delivery/items/{workstream.pk}/figures/new/")
        page.get_by_label("What it counts").select_option("capital")
        page.locator("#id_low").fill("500")
        page.locator("#id_high").fill("300")
        page.get_by_label("Estimate").check()
        page.get_by_role("button", name="Save figure").click()
        assert page.title().startswith("Error:")
        message = page.locator("#id_low-error, .nhsuk-error-message").first
        assert "The low figure cannot be more than the high figure." in message.inner_text()
        assert_accessible(page)
