"""The Herefordshire shared services demo (fixtures/hssp-shared-services-2009-10.yaml), checked
against Herefordshire Council's Cabinet report of 18 December 2009 item by item.

Every stored text is found in the report; the figures, dates and names are spelled out here as
printed, each also found in the report, and compared with what was loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db.models import Q

from assurance.models import Risk
from delivery.models import (
    Confidence,
    Decision,
    DeliveryItem,
    Dependency,
    GovernanceBody,
    Level,
    Lineage,
    Measure,
    YearFigure,
)
from demo.loader import load_demo, load_partnerships
from objectives.models import ProgressStatus
from planning.models import Membership, Organisation, PartnershipMember, Plan, PlanKind
from tests.demo.conftest import read_source
from tests.demo.delivery_source import flat, missing_from, stored_texts

SOURCE = "herefordshire-shared-services-cabinet-2009.txt"
PLAN = "hssp-shared-services-2009-10"


@pytest.fixture(scope="module")
def source() -> str:
    return flat(read_source(SOURCE))


@pytest.fixture
def plan(db) -> Plan:
    load_partnerships()
    return Plan.objects.select_related("organisation").get(slug=PLAN)


def items(plan: Plan) -> dict[str, DeliveryItem]:
    return {i.reference: i for i in DeliveryItem.objects.filter(plan=plan)}


@pytest.mark.django_db
class TestPartnership:
    def test_partnership_of_the_three_partners_the_report_names(self, plan, source):
        hssp = plan.organisation
        assert (hssp.name, hssp.short_name, hssp.kind) == (
            "Herefordshire Shared Services Partnership",
            "HSSP",
            "partnership",
        )
        assert "Herefordshire Shared Services Partnership, HSSP" in source
        members = [
            (link.member.name, link.member.kind)
            for link in PartnershipMember.objects.filter(partnership=hssp).select_related("member")
        ]
        assert members == [
            ("Herefordshire Council", "council"),
            # The report never says what kind of NHS body it is.
            ("NHS Herefordshire", "other"),
            ("Hereford Hospitals Trust", "trust"),
        ]
        for name, _ in members:
            assert name in source

    def test_the_trust_takes_the_name_the_report_uses_most(self, source):
        # Each form counted on its own ("Hereford Hospitals Trust" is not inside the others).
        forms = {
            "Hereford Hospitals Trust": len(re.findall(r"Hereford Hospitals Trust", source)),
            "Herefordshire Hospitals NHS Trust": source.count("Herefordshire Hospitals NHS Trust"),
            "Hereford Hospital Trust": source.count("Hereford Hospital Trust"),
            "HHT": len(re.findall(r"\bHHT\b", source)),
        }
        assert forms == {
            "Hereford Hospitals Trust": 2,
            "Herefordshire Hospitals NHS Trust": 1,
            "Hereford Hospital Trust": 1,
            "HHT": 1,
        }
        assert max(forms, key=forms.get) == "Hereford Hospitals Trust"

    def test_demo_sign_ins_also_belong_to_a_member(self, plan):
        for suffix in ("board", "manager", "planner", "admin"):
            orgs = set(
                Membership.objects.filter(user__username=f"hssp-{suffix}").values_list(
                    "organisation__slug", flat=True
                )
            )
            assert orgs == {"hssp", "herefordshire-council"}


@pytest.mark.django_db
class TestPlan:
    def test_a_delivery_plan_for_the_years_the_report_gives_figures_for(self, plan, source):
        assert plan.kind == PlanKind.DELIVERY_PLAN
        assert (plan.start_year, plan.end_year) == (2009, 2010)
        assert "this financial year" in source and "2010/11" in source
        assert plan.core_purpose in source

    def test_every_stored_text_is_the_report_s_own_words(self, plan, source):
        texts = stored_texts(plan)
        assert len(texts) > 40
        missing = {where: m for where, text in texts if (m := missing_from(source, text))}
        assert missing == {}

    def test_titles_are_the_report_s_headings_or_name_what_it_says(self, plan, source):
        # Titles of our own making, each with the report's words it names.
        named = {
            "SS2.1": "A report will be presented to Cabinet in the last quarter of this "
            "financial year which will set out the options and the timescales for selecting a "
            "lead partner",
            "SS2.2": "Specialist Legal and Procurement advice is being sought to ensure that all "
            "options are considered for vehicles to help procure a strategic partner",
            "HC1": "create a unified governance board",
            "HC3": "a new system for Performance Management (Performance Plus)",
            "HC3.1": "All service plans across the Council will be in Performance Plus",
        }
        lowered = source.lower()
        for reference, item in items(plan).items():
            if reference in named:
                assert named[reference] in source, reference
            else:
                assert item.title.lower() in lowered, reference

    def test_the_tree(self, plan):
        tree = {
            r: (i.level, i.parent.reference if i.parent else None) for r, i in items(plan).items()
        }
        assert tree == {
            "SS": (Level.PROGRAMME, None),
            "SS1": (Level.WORKSTREAM, "SS"),
            "SS2": (Level.WORKSTREAM, "SS"),
            "SS2.1": (Level.INTERVENTION, "SS2"),
            "SS2.2": (Level.INTERVENTION, "SS2"),
            "SS3": (Level.WORKSTREAM, "SS"),
            "SS4": (Level.WORKSTREAM, "SS"),
            "SS5": (Level.WORKSTREAM, "SS"),
            "SS6": (Level.WORKSTREAM, "SS"),
            "HC": (Level.PROGRAMME, None),
            "HC1": (Level.WORKSTREAM, "HC"),
            "HC2": (Level.WORKSTREAM, "HC"),
            "HC3": (Level.WORKSTREAM, "HC"),
            "HC3.1": (Level.INTERVENTION, "HC3"),
        }

    def test_the_two_programmes_carry_the_four_drivers(self, plan, source):
        start = source.index("Context")
        context = source[start : source.index("Background", start)]
        drivers = re.findall(r"\b(?:i|ii|iii|iv)\. (.+?)(?= - |$)", context)
        assert len(drivers) == 4
        for reference in ("SS", "HC"):
            text = items(plan)[reference].case_for_change
            assert [d.strip() for d in drivers] == [
                line[2:] for line in text.splitlines() if line.startswith("- ")
            ]

    def test_progress_and_dates_as_written(self, plan, source):
        found = items(plan)
        # Soft market sounding: "conducted during October 2009", done.
        assert "conducted during October 2009" in source
        assert (found["SS1"].start_date, found["SS1"].due_date) == (
            dt.date(2009, 10, 1),
            dt.date(2009, 10, 31),
        )
        assert found["SS1"].status == ProgressStatus.COMPLETED
        # Environment and Regeneration: "made operational on 28th September 2009".
        assert "made operational on 28th September 2009" in source
        assert found["HC2"].due_date == dt.date(2009, 9, 28)
        assert found["HC2"].status == ProgressStatus.COMPLETED
        # The next report: "in the last quarter of this financial year" (2009/10).
        assert "in the last quarter of this financial year" in source
        assert (found["SS2.1"].due_date, found["SS2.1"].due_date_latest) == (
            dt.date(2010, 1, 1),
            dt.date(2010, 3, 31),
        )
        # "by the end of the year": calendar or financial, the report does not say.
        assert found["HC3.1"].timescale_text == "by the end of the year"
        assert found["HC3.1"].due_date is None
        # The transition team "will be set up"; the procurement centre's terms are agreed.
        assert found["SS3"].status == ProgressStatus.NOT_STARTED
        assert found["SS4"].status == ProgressStatus.IN_PROGRESS
        for item in found.values():
            if item.latest_update_id:
                assert item.latest_update.as_at == dt.date(2009, 12, 18)
        assert "DATE: 18 DECEMBER 2009" in source

    def test_terms_of_reference_of_the_procurement_centre(self, plan, source):
        scope = items(plan)["SS4"].scope.splitlines()
        assert len(scope) == 5  # a. to e.
        assert scope[0].startswith("- Manage procurement policy")
        assert scope[-1] == "- Set up a procurement helpdesk to provide support across HPSS."
        # The procurement section's spelling, kept as printed.
        assert source.count("HPSS") == 3


@pytest.mark.django_db
class TestFigures:
    # (item, measure, year, low, high, recurring, the words printed)
    PRINTED = [
        ("SS", Measure.FTE, None, "-140", "-104", False, "could release between 104-140 FTE's"),
        ("SS", Measure.SAVINGS, None, "3400000", "5400000", True,
         "savings of between £3.4 to £5.4M recurring savings"),
        ("SS4", Measure.SAVINGS, None, "890000", "890000", True,
         "approximately £890K per annum"),
        ("HC", Measure.SAVINGS, 2009, "700000", "700000", False, "£700k for this financial year"),
        ("HC", Measure.SAVINGS, 2010, "1000000", "1000000", False,
         "an additional £1m for 2010/11"),
    ]  # fmt: skip

    def test_each_figure_as_printed(self, plan, source):
        stored = [
            (
                f.item.reference,
                f.measure,
                f.financial_year,
                f.low,
                f.high,
                f.recurring,
                f.confidence,
            )
            for f in YearFigure.objects.filter(item__plan=plan).select_related("item")
        ]
        expected = [
            (ref, measure, year, Decimal(low), Decimal(high), recurring, Confidence.ESTIMATE)
            for ref, measure, year, low, high, recurring, _ in self.PRINTED
        ]
        assert sorted(stored, key=str) == sorted(expected, key=str)
        for *_, words in self.PRINTED:
            assert words in source

    def test_the_scope_figures_are_text_not_changes(self, plan, source):
        printed = "in scope services consume 526 full time equivalent resources and £19 million"
        assert printed in source
        assert printed in items(plan)["SS"].scope


@pytest.mark.django_db
class TestLinks:
    def test_the_five_register_risks_at_programme_level(self, plan):
        register = set(Risk.objects.filter(organisation=plan.organisation))
        assert len(register) == 5
        assert set(items(plan)["SS"].risks.all()) == register

    def test_dependencies_as_named(self, plan, source):
        sentence = (
            "There are a number of key dependencies for the Shared Services programme, including; "
            "Herefordshire Connects, the Property Strategy, World Class Commissioning and the "
            "Comprehensive Area Assessment."
        )
        assert sentence in source
        found = {
            (d.item.reference, d.kind, d.on_item.reference if d.on_item else d.external)
            for d in Dependency.objects.filter(item__plan=plan).select_related("item", "on_item")
        }
        assert found == {
            ("SS", "needs", "HC"),
            ("SS", "needs", "the Property Strategy"),
            ("SS", "needs", "World Class Commissioning"),
            ("SS", "needs", "the Comprehensive Area Assessment"),
        }

    def test_one_board_oversees_both_programmes(self, plan, source):
        assert "a single unified Programme Board, called the Business Transformation Board" in (
            source
        )
        board = GovernanceBody.objects.get(name="Business Transformation Board")
        assert board.organisation == plan.organisation
        assert {"SS", "HC"} <= {i.reference for i in board.items.all()}
        assert plan in board.plans.all()
        # The programmes go on: governance joined them, not a lineage between them.
        assert not Lineage.objects.filter(item__plan=plan).exists()

    def test_the_bodies_oversee_what_the_services_would_allow(self, plan, source):
        """The demo is loaded past the services; its governance obeys their rule all the same:
        programmes and workstreams (the transition team is "under the governance of the
        Business Transformation Board"), of the body's organisation or of a partnership it is a
        member of (the council's Cabinet, receiving the partnership's report)."""
        from delivery.selectors_links import OVERSEEN_LEVELS
        from planning import partnerships

        assert "under the governance of the Business Transformation Board" in source
        for body in GovernanceBody.objects.filter(Q(plans=plan) | Q(items__plan=plan)).distinct():
            allowed = {body.organisation_id} | set(
                partnerships.partnerships_of(body.organisation_id).values_list("pk", flat=True)
            )
            assert {p.organisation_id for p in body.plans.all()} <= allowed, body
            for item in body.items.all():
                assert item.level in OVERSEEN_LEVELS, item
                assert item.plan.organisation_id in allowed, item

    def test_cabinet_recommendation_of_18_december_2009(self, plan, source):
        decision = Decision.objects.select_related("body__organisation").get(items__reference="SS")
        assert decision.date == dt.date(2009, 12, 18)
        assert decision.body.name == "Cabinet"
        assert decision.body.organisation == Organisation.objects.get(name="Herefordshire Council")
        assert decision.decision == "This is not a Key Decision."
        assert "This is not a Key Decision." in source
        assert "a) Note progress made on Shared Services; and" in decision.recommendation


@pytest.mark.django_db
def test_loading_twice_changes_nothing(plan):
    def counts():
        return [
            m.objects.count()
            for m in (DeliveryItem, YearFigure, Dependency, Decision, GovernanceBody,
                      PartnershipMember, Membership, Organisation)
        ]  # fmt: skip

    load_demo()  # everything, as `make run` loads it, then again
    before = counts()
    report = load_demo()
    assert all(line.startswith("Already loaded") for line in report)
    assert counts() == before
