"""The South East London STP demo (fixtures/sel-stp-delivery-plans-2016-21.yaml), checked
against the CLG delivery plans briefing note item by item.

The five opportunities and their savings are parsed from the briefing's numbered list here,
independently of the loader; the SRO from its sentence; the merges from its bullets.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from delivery.models import (
    Confidence,
    DeliveryItem,
    GovernanceBody,
    Level,
    Lineage,
    Measure,
    YearFigure,
)
from demo.loader import load_partnerships
from objectives.models import ProgressStatus
from planning.models import Membership, Organisation, PartnershipMember, Plan, PlanKind
from tests.demo.conftest import read_source
from tests.demo.delivery_source import flat, missing_from, stored_texts

SOURCE = "sel-stp-clg-delivery-plans-briefing-2016.txt"
PLAN = "sel-stp-delivery-plans-2016-21"


@pytest.fixture(scope="module")
def raw() -> str:
    return read_source(SOURCE)


@pytest.fixture(scope="module")
def source(raw) -> str:
    return flat(raw)


@pytest.fixture
def plan(db) -> Plan:
    load_partnerships()
    return Plan.objects.select_related("organisation").get(slug=PLAN)


def items(plan: Plan) -> dict[str, DeliveryItem]:
    return {i.reference: i for i in DeliveryItem.objects.filter(plan=plan)}


@pytest.mark.django_db
class TestPartnership:
    def test_members_are_only_the_organisations_the_briefing_names(self, plan, source):
        stp = plan.organisation
        assert (stp.name, stp.kind) == ("South East London STP", "partnership")
        assert "SEL STP" in source and "South East London" in source
        members = list(
            PartnershipMember.objects.filter(partnership=stp).values_list("member__name", flat=True)
        )
        # The briefing's only named organisation; "the five providers within the SEL STP
        # footprint" are not named, so none is made up.
        assert members == ["Dartford and Gravesham NHS Foundation Trust"]
        assert source.count("NHS Foundation Trust") == 1
        assert "the five providers within the SEL STP footprint" in source
        assert "the five providers within the SEL STP footprint" in items(plan)["CP"].scope

    def test_demo_sign_ins_also_belong_to_the_member(self, plan):
        for suffix in ("board", "manager", "planner", "admin"):
            orgs = set(
                Membership.objects.filter(user__username=f"sel-{suffix}").values_list(
                    "organisation__slug", flat=True
                )
            )
            assert orgs == {"sel-stp", "dartford-and-gravesham-nhs-ft"}


@pytest.mark.django_db
class TestPlan:
    def test_a_delivery_plan_for_2016_17_to_2020_21(self, plan, source):
        assert plan.kind == PlanKind.DELIVERY_PLAN
        assert "from 2016-17 to 20-21" in source
        assert (plan.start_year, plan.end_year) == (2016, 2020)

    def test_every_stored_text_is_the_briefing_s_own_words(self, plan, source):
        texts = stored_texts(plan)
        assert len(texts) > 15
        missing = {where: m for where, text in texts if (m := missing_from(source, text))}
        assert missing == {}

    def test_the_clgs_it_names(self, plan, source):
        clgs = {
            i.title for i in items(plan).values() if i.level_label == "Clinical leadership group"
        }
        assert clgs == {"Mental health", "Community based care"}
        for name in clgs:
            assert f"the {name.lower()} delivery plan" in source
        enabling = {i.title for i in items(plan).values() if i.level_label.startswith("CLG enab")}
        assert enabling == {"Estates", "Digital"}
        assert "the CLG enabling workstreams of Estates and Digital" in source

    def test_collaborative_productivity_and_its_sro(self, plan, source):
        sro = re.search(r"agreed by ([A-Z][a-z]+ [A-Z][a-z]+), the SRO for Collaborative", source)
        cp = items(plan)["CP"]
        assert cp.level == Level.PROGRAMME
        assert cp.sro_text == sro.group(1) == "Martin Shaw"
        # The opportunities' own SROs are not named.
        assert all(not i.sro_text for r, i in items(plan).items() if r != "CP")

    def test_the_issues_named(self, plan, source):
        progress = items(plan)["CP"].latest_update.progress
        for issue in (
            "STF funding will no longer be available until FY 17/18",
            "changes have been made to the scope of the opportunities",
            "dedicated resources to drive forward our plans have not been identified",
            "Our original reported figures were based on top-down estimates",
        ):
            assert issue in source and issue in progress
        # 14 October: a Friday in 2016, the year of the report it builds on ("May 2016").
        assert "Friday 14th October" in source and "In May 2016" in source
        assert dt.date(2016, 10, 14).strftime("%A") == "Friday"

    def test_pharmacy_and_radiology(self, plan, source):
        found = items(plan)
        pharmacy, radiology = found["CP4.PH"], found["CP4.RA"]
        assert "A parallel work-stream is in place to address the pharmacy opportunity" in source
        assert pharmacy.latest_update.progress.startswith("A parallel work-stream")
        assert "An SME is yet to be identified for the radiology opportunity" in source
        assert "subject to delay" in radiology.latest_update.progress
        assert radiology.status == ProgressStatus.NOT_STARTED
        assert not GovernanceBody.objects.filter(organisation=plan.organisation).exists()


@pytest.mark.django_db
class TestOpportunities:
    def test_the_five_opportunities_and_their_savings_as_printed(self, plan, raw):
        printed = re.findall(r"^(\d)\. (.+?) - £(\d+)m savings$", raw, flags=re.MULTILINE)
        assert len(printed) == 5
        found = items(plan)
        for number, title, millions in printed:
            item = found[f"CP{number}"]
            assert (item.title, item.level, item.parent.reference) == (
                title,
                Level.WORKSTREAM,
                "CP",
            )
            figure = YearFigure.objects.get(item=item)
            amount = Decimal(millions) * 1_000_000
            assert (figure.low, figure.high) == (amount, amount)
            # No year, no gross or net in the briefing; "top-down estimates".
            assert figure.financial_year is None
            assert figure.measure == Measure.SAVINGS
            assert figure.confidence == Confidence.ESTIMATE
        assert [m for *_, m in printed] == ["41", "73", "64", "41", "28"]
        # The total is not printed in the briefing (issue 15 quotes it): it adds up.
        total = sum(f.low for f in YearFigure.objects.filter(item__plan=plan))
        assert total == Decimal(247_000_000)

    def test_the_services_an_opportunity_lists_are_its_interventions(self, plan):
        found = items(plan)
        for ref, listed in (("CP1", "HR, procurement, finance, IM&T"),
                            ("CP4", "pharmacy, pathology, radiology")):  # fmt: skip
            children = [
                i.title
                for i in sorted(found.values(), key=lambda i: i.order)
                if i.parent and i.parent.reference == ref
            ]
            assert children == listed.split(", ")
            assert f"({listed})" in found[ref].title


@pytest.mark.django_db
class TestMerges:
    def test_merges_and_rescoping_as_the_briefing_anticipates(self, plan, source):
        merges = {
            (m.item.reference, m.kind, m.other.reference): m.reason
            for m in Lineage.objects.filter(item__plan=plan).select_related("item", "other")
        }
        assert set(merges) == {
            # Procurement (of opportunity 1) and buying power: one opportunity.
            ("CP1.PR", "merged_into", "CP2"),
            # Optimise the workforce with the HR back office.
            ("CP3", "merged_into", "CP1.HR"),
            # CP Estates and IT with the CLG enabling workstreams Estates and Digital.
            ("CP5", "merged_into", "EST"),
            ("CP1.IT", "merged_into", "DIG"),
        }
        for reason in merges.values():
            assert reason in source
        assert all(m.date is None for m in Lineage.objects.filter(item__plan=plan))
        hr = items(plan)["CP1.HR"]
        assert hr.scope.startswith("Nurseries, Payroll and Occupational Health will be prioritised")


@pytest.mark.django_db
def test_loading_twice_changes_nothing(plan):
    def counts():
        return [
            m.objects.count()
            for m in (DeliveryItem, YearFigure, Lineage, PartnershipMember, Membership,
                      Organisation)
        ]  # fmt: skip

    before = counts()
    assert all(line.startswith("Already loaded") for line in load_partnerships())
    assert counts() == before
