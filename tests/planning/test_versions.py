"""A plan's versions (planning.versions): ratifying freezes them, a refresh starts the next one,
NEW marks what was added since, and any two are compared item by item and field by field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kpis.models import Measurement
from objectives import editing
from objectives.models import Objective, ObjectiveKind, ProgressUpdate
from planning import content_diff, idempotency, lifecycle, plan_content, plan_details, versions
from planning.concurrency import StaleEditError
from planning.models import Plan, PlanStatus, PlanVersion, VersionStatus
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
    ProgressUpdateFactory,
    StrategicPriorityFactory,
)

TODAY = dt.date(2026, 11, 26)


def _fresh(plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def _ratified(organisation, **fields) -> Plan:
    values = {
        "status": PlanStatus.RATIFIED,
        "version_label": "4.0",
        "approved_by": "Executive team",
        "date_approved": dt.date(2019, 12, 1),
        "ratified_by": "CCG Governing Body",
        "date_ratified": dt.date(2020, 1, 1),
        "board_minute_reference": "GB/2020/7",
    }
    return PlanFactory(organisation=organisation, **(values | fields))


def _refresh(plan, by, **extra) -> Plan:
    return lifecycle.start_refresh(plan=plan, by=by, expected_version=plan.version, **extra)


def _through_to_ratified(plan, planner, admin, minute="GB/2021/3") -> Plan:
    plan = lifecycle.submit(plan=plan, by=planner, expected_version=plan.version)
    plan = lifecycle.approve(
        plan=plan,
        by=admin,
        expected_version=plan.version,
        approved_by="Executive team",
        date_approved=dt.date(2026, 11, 1),
        today=TODAY,
    )
    return lifecycle.ratify(
        plan=plan,
        by=admin,
        expected_version=plan.version,
        ratified_by="Trust Board",
        date_ratified=dt.date(2026, 11, 20),
        board_minute_reference=minute,
        today=TODAY,
    )


def _create(plan, by, **data) -> Objective:
    values = {"kind": ObjectiveKind.OPERATIONAL, "text": "Open the new clinic", "reference": "N1"}
    return editing.objective_create(plan=plan, by=by, data=values | data)


# ---------------------------------------------------------------------------------------------
# The pure comparison
# ---------------------------------------------------------------------------------------------


def _snap(*items, key="objectives", label="Objectives and actions"):
    return {
        "format": 1,
        "kinds": [
            {
                "key": key,
                "label": label,
                "singular": "objective",
                "summary": "text",
                "fields": [["text", "Text"], ["due_text", "Due (as written)"]],
                "items": [
                    {"id": pk, "name": name, "values": {"text": text, "due_text": due}}
                    for pk, name, text, due in items
                ],
            }
        ],
    }


class TestCompare:
    def test_added_removed_and_changed_field_by_field(self):
        before = _snap((1, "EST-1", "Move HQ", "Sept 06"), (2, "EST-2", "Sell the depot", ""))
        after = _snap((1, "EST-1", "Move HQ to Bath", "Dec 06"), (3, "EST-3", "New clinic", ""))
        [kind] = content_diff.compare(before, after)
        assert kind.label == "Objectives and actions"
        assert (kind.added, kind.removed, kind.changed) == (1, 1, 1)
        changed = next(i for i in kind.items if i.change == content_diff.CHANGED)
        assert changed.name == "EST-1"
        assert [(f.label, f.before, f.after) for f in changed.fields] == [
            ("Text", "Move HQ", "Move HQ to Bath"),
            ("Due (as written)", "Sept 06", "Dec 06"),
        ]
        added = next(i for i in kind.items if i.change == content_diff.ADDED)
        removed = next(i for i in kind.items if i.change == content_diff.REMOVED)
        assert (added.name, added.summary) == ("EST-3", "New clinic")
        assert (removed.name, removed.summary) == ("EST-2", "Sell the depot")

    def test_identity_is_the_row_not_the_reference(self):
        """Renumbering an item is a change of its reference, not a removal and an addition."""
        before = _snap((1, "EST-1", "Move HQ", ""))
        after = _snap((1, "EST-9", "Move HQ", "Dec 06"))
        [kind] = content_diff.compare(before, after)
        assert [(item.change, item.name) for item in kind.items] == [
            (content_diff.CHANGED, "EST-9")
        ]

    def test_nothing_changed_is_no_kind_and_no_row(self):
        same = _snap((1, "EST-1", "Move HQ", ""))
        assert content_diff.compare(same, same) == []
        assert content_diff.rows([]) == []

    def test_rows_one_per_changed_field_and_one_per_added_or_removed_item(self):
        before = _snap((1, "A", "x", "1"), (2, "B", "gone", ""))
        after = _snap((1, "A", "y", "2"), (3, "C", "new", ""))
        rows = content_diff.rows(content_diff.compare(before, after))
        assert [(r.item, r.change, r.field, r.before, r.after) for r in rows] == [
            ("A", "Changed", "Text", "x", "y"),
            ("A", "Changed", "Due (as written)", "1", "2"),
            ("C", "Added", "", "", "new"),
            ("B", "Removed", "", "gone", ""),
        ]


class TestNextLabel:
    @pytest.mark.parametrize(
        ("label", "used", "expected"),
        [
            ("4.0", set(), "4.1"),
            ("4.9", set(), "4.10"),
            ("4.0", {"4.1", "4.2"}, "4.3"),
            ("4", set(), "4.1"),
            ("v2.3", set(), "v2.4"),
            ("Draft", set(), None),
            ("", set(), None),
        ],
    )
    def test_the_last_number_goes_up_past_used_labels(self, label, used, expected):
        assert content_diff.next_label(label, used) == expected


# ---------------------------------------------------------------------------------------------
# Ratifying freezes; a newer ratification supersedes
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRatifyFreezes:
    def test_ratified_content_and_document_control_are_frozen(self, plan, planner, org_admin):
        plan.version_label = "1.0"
        plan.save()
        ObjectiveFactory(plan=plan, reference="EST-1", text="Move HQ")
        plan = _through_to_ratified(plan, planner, org_admin)
        [version] = PlanVersion.objects.filter(plan=plan)
        assert (version.label, version.status) == ("1.0", VersionStatus.RATIFIED)
        assert version.ratified_by == "Trust Board"
        assert version.board_minute_reference == "GB/2021/3"
        assert version.approved_by == "Executive team"
        assert version.created_by == org_admin
        objectives = next(k for k in version.content["kinds"] if k["key"] == "objectives")
        assert [i["name"] for i in objectives["items"]] == ["EST-1"]
        assert objectives["items"][0]["values"]["text"] == "Move HQ"

    def test_a_plan_without_a_label_is_frozen_as_the_first(self, plan, planner, org_admin):
        plan = _through_to_ratified(plan, planner, org_admin)
        assert _fresh(plan).version_label == versions.FIRST_LABEL
        assert PlanVersion.objects.get(plan=plan).label == versions.FIRST_LABEL

    def test_ratifying_the_refresh_supersedes_the_earlier_version(
        self, organisation, planner, org_admin
    ):
        plan = _ratified(organisation)
        plan = _refresh(plan, planner)
        plan = _through_to_ratified(plan, planner, org_admin)
        by_label = {v.label: v for v in PlanVersion.objects.filter(plan=plan)}
        assert by_label["4.0"].status == VersionStatus.SUPERSEDED
        assert by_label["4.1"].status == VersionStatus.RATIFIED
        assert by_label["4.0"].history.first().history_change_reason == "Superseded by version 4.1"
        assert _fresh(plan).status == PlanStatus.RATIFIED

    def test_a_label_already_frozen_cannot_be_ratified_again(
        self, organisation, planner, org_admin
    ):
        plan = _ratified(organisation)
        plan = _refresh(plan, planner)
        # Set behind the details page's back (it refuses the label too: see below).
        Plan.objects.filter(pk=plan.pk).update(version_label="4.0")
        plan = _fresh(plan)
        with pytest.raises(ValidationError, match="was frozen before"):
            _through_to_ratified(plan, planner, org_admin)
        assert _fresh(plan).status == PlanStatus.APPROVED  # the ratification rolled back
        assert PlanVersion.objects.filter(plan=plan).count() == 1


# ---------------------------------------------------------------------------------------------
# Starting a refresh
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestStartRefresh:
    def test_the_next_version_is_a_draft_with_the_ratified_one_kept(self, organisation, planner):
        plan = _ratified(organisation)
        new = ObjectiveFactory(plan=plan, is_new=True)
        plan = _refresh(plan, planner)
        saved = _fresh(plan)
        assert saved.status == PlanStatus.DRAFT
        assert saved.version_label == "4.1"
        assert (saved.approved_by, saved.ratified_by, saved.board_minute_reference) == ("", "", "")
        assert saved.date_approved is None and saved.date_ratified is None
        lifecycle.require_editable(saved)  # content is editable again
        [version] = PlanVersion.objects.filter(plan=plan)
        assert (version.label, version.status) == ("4.0", VersionStatus.RATIFIED)
        assert (version.ratified_by, version.board_minute_reference) == (
            "CCG Governing Body",
            "GB/2020/7",
        )
        # NEW means added since the last version: the marks are cleared, and audited.
        new.refresh_from_db()
        assert new.is_new is False
        assert new.history.first().history_user == planner
        # The plan's history keeps the ratification that was cleared.
        assert plan.history.filter(board_minute_reference="GB/2020/7").exists()
        assert lifecycle.transitions(saved)[0].history_change_reason.startswith("Refresh started")

    def test_a_typed_label(self, organisation, planner):
        plan = _refresh(_ratified(organisation), planner, label=" 5.0 ")
        assert _fresh(plan).version_label == "5.0"

    def test_a_label_already_used_is_refused_and_nothing_saved(
        self, organisation, planner, org_admin
    ):
        plan = _ratified(organisation)
        with pytest.raises(ValidationError) as refused:
            _refresh(plan, planner, label="4.0")
        assert "already exists" in refused.value.message_dict["label"][0]
        saved = _fresh(plan)
        assert (saved.status, saved.version_label) == (PlanStatus.RATIFIED, "4.0")
        assert not PlanVersion.objects.filter(plan=plan).exists()  # the freeze rolled back

    def test_a_label_without_a_number_must_be_typed(self, organisation, planner):
        plan = _ratified(organisation, version_label="Final")
        with pytest.raises(ValidationError, match="Enter the new version's label"):
            _refresh(plan, planner)
        assert _fresh(plan).status == PlanStatus.RATIFIED

    @pytest.mark.parametrize(
        "status", [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED]
    )
    def test_only_from_a_ratified_plan(self, organisation, planner, status):
        plan = _ratified(organisation, status=status)
        with pytest.raises(ValidationError, match="only a ratified plan starts a refresh"):
            _refresh(plan, planner)
        assert _fresh(plan).version_label == "4.0"

    def test_a_stale_version_is_refused(self, organisation, planner):
        plan = _ratified(organisation)
        with pytest.raises(StaleEditError):
            lifecycle.start_refresh(plan=plan, by=planner, expected_version=plan.version - 1)
        assert _fresh(plan).status == PlanStatus.RATIFIED

    @pytest.mark.parametrize("role", ["viewer", "contributor", "outsider"])
    def test_only_planners_and_administrators(self, organisation, request, role):
        plan = _ratified(organisation)
        with pytest.raises(PermissionDenied):
            _refresh(plan, request.getfixturevalue(role))
        assert _fresh(plan).status == PlanStatus.RATIFIED

    def test_an_administrator_may(self, organisation, org_admin):
        assert _fresh(_refresh(_ratified(organisation), org_admin)).version_label == "4.1"

    def test_the_form_token_is_used_once(self, organisation, planner):
        plan = _ratified(organisation)
        token = idempotency.new_token()
        plan = _refresh(plan, planner, submission_token=token)
        # A double click: the second post of the same form changes nothing.
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.RATIFIED)
        with pytest.raises(idempotency.DuplicateSubmission):
            _refresh(_fresh(plan), planner, submission_token=token)
        assert _fresh(plan).version_label == "4.1"

    def test_details_refuse_a_label_already_used(self, organisation, planner):
        plan = _fresh(_refresh(_ratified(organisation), planner))
        with pytest.raises(ValidationError) as refused:
            plan_details.plan_details_update(
                plan=plan, by=planner, expected_version=plan.version, data={"version_label": "4.0"}
            )
        assert "version_label" in refused.value.message_dict
        assert _fresh(plan).version_label == "4.1"


# ---------------------------------------------------------------------------------------------
# NEW, and what versions share
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestNewAndShared:
    def test_an_item_added_after_a_version_is_new(self, organisation, planner):
        plan = _fresh(_refresh(_ratified(organisation), planner))
        item = _create(plan, planner)
        assert item.is_new is True

    def test_an_item_of_a_plan_never_versioned_is_not_new(self, plan, planner):
        assert _create(plan, planner).is_new is False

    def test_progress_history_and_measurements_are_shared_not_copied(
        self, organisation, planner, org_admin
    ):
        plan = _ratified(organisation)
        item = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=item, financial_year=2006, quarter=1)
        kpi = KPIFactory(plan=plan)
        MeasurementFactory(kpi=kpi, period_start=dt.date(2006, 4, 1), value=Decimal("7"))
        counts = (Objective.objects.count(), ProgressUpdate.all_objects.count())
        plan = _through_to_ratified(_fresh(_refresh(plan, planner)), planner, org_admin)
        assert (Objective.objects.count(), ProgressUpdate.all_objects.count()) == counts
        assert Measurement.objects.filter(kpi=kpi).count() == 1
        assert item.updates.count() == 1  # the same item, its history whole
        assert PlanVersion.objects.filter(plan=plan).count() == 2
        for version in PlanVersion.objects.filter(plan=plan):
            kinds = {k["key"]: k for k in version.content["kinds"]}
            values = kinds["objectives"]["items"][0]["values"]
            assert "status" not in values and "rag" not in values
            assert kinds["objectives"]["items"][0]["id"] == item.pk


# ---------------------------------------------------------------------------------------------
# Comparing the plan's versions
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestComparePlanVersions:
    def test_draft_against_its_ratified_version(self, organisation, planner):
        plan = _ratified(organisation)
        kept = ObjectiveFactory(plan=plan, reference="EST-1", text="Move HQ")
        dropped = ObjectiveFactory(plan=plan, reference="EST-2", text="Sell the depot")
        StrategicPriorityFactory(plan=plan, number=1, title="Quality")
        plan = _fresh(_refresh(plan, planner))
        kept, dropped = (Objective.objects.get(pk=o.pk) for o in (kept, dropped))
        editing.objective_update(
            objective=kept,
            by=planner,
            expected_version=kept.version,
            data={"text": "Move HQ to Bath"},
        )
        editing.objective_delete(objective=dropped, by=planner, expected_version=dropped.version)
        _create(plan, planner, reference="EST-3", text="New clinic")

        history = versions.history(plan)
        before, after = versions.default_pair(plan, history)
        assert after == versions.CURRENT
        comparison = versions.compare(plan, before, after, history)
        rows = {(r.item, r.change, r.field): (r.before, r.after) for r in comparison.rows}
        assert rows[("EST-1", "Changed", "Text")] == ("Move HQ", "Move HQ to Bath")
        assert rows[("EST-2", "Removed", "")] == ("Sell the depot", "")
        assert rows[("EST-3", "Added", "")] == ("", "New clinic")
        assert comparison.totals == {"added": 1, "removed": 1, "changed": 1}
        assert [k.label for k in comparison.changes] == ["Objectives and actions"]

    def test_two_frozen_versions_and_milestones_and_kpis(self, organisation, planner, org_admin):
        plan = _ratified(organisation)
        item = ObjectiveFactory(plan=plan, reference="EST-1")
        kpi = KPIFactory(plan=plan, code="L1", name="Sickness")
        plan = _fresh(_refresh(plan, planner))
        MilestoneFactory(objective=item, text="Business case", order=1)
        kpi.name = "Sickness absence"
        kpi.save()
        plan = _through_to_ratified(plan, planner, org_admin)
        history = versions.history(plan)
        assert [v.label for v in history] == ["4.0", "4.1"]
        comparison = versions.compare(plan, str(history[0].pk), str(history[1].pk), history)
        rows = {(r.kind, r.item, r.change, r.field): r.after for r in comparison.rows}
        assert rows[("Milestones", "EST-1: milestone 1", "Added", "")] == "Business case"
        assert rows[("KPIs", "L1", "Changed", "Name")] == "Sickness absence"
        # A ratified plan is its frozen version: "as it is now" is not offered twice.
        assert versions.CURRENT not in [c.key for c in versions.choices(plan, history)]

    def test_another_plans_version_cannot_be_named(self, organisation, planner):
        plan = _fresh(_refresh(_ratified(organisation), planner))
        other = _fresh(_refresh(_ratified(organisation, slug="other-plan"), planner))
        foreign = PlanVersion.objects.get(plan=other)
        with pytest.raises(ValueError):
            versions.compare(plan, str(foreign.pk), versions.CURRENT, versions.history(plan))

    def test_every_registered_kind_is_in_a_snapshot(self, plan):
        keys = [kind["key"] for kind in plan_content.snapshot(plan)["kinds"]]
        for expected in (
            "plan",
            "sections",
            "vision",
            "values",
            "priorities",
            "short_term",
            "programmes",
            "departments",
            "goals",
            "objectives",
            "milestones",
            "kpis",
            "kpi_targets",
            "swot",
            "pestel",
            "income_lines",
            "expenditure_lines",
            "savings_schemes",
        ):
            assert expected in keys

    def test_a_snapshot_takes_the_same_queries_at_ten_times_the_size(
        self, organisation, django_assert_max_num_queries
    ):
        def build(n):
            plan = _ratified(organisation, slug=f"size-{n}")
            kpis = [KPIFactory(plan=plan, code=f"L{i}") for i in range(n)]
            for i in range(n):
                item = ObjectiveFactory(plan=plan, reference=f"R{i}")
                item.kpis.add(kpis[i])
                MilestoneFactory(objective=item)
            return plan

        small, large = build(2), build(20)
        with django_assert_max_num_queries(25) as small_queries:
            plan_content.snapshot(small)
        with django_assert_max_num_queries(len(small_queries.captured_queries)):
            plan_content.snapshot(large)


@pytest.mark.django_db
class TestFastReadsMatchTheRecords:
    def test_objectives_and_milestones_read_as_values_equal_the_generic_reading(self, plan):
        from tests.factories import (
            GoalFactory,
            OrgUnitFactory,
            ProgrammeFactory,
            RoleFactory,
            StrategicObjectiveFactory,
        )

        organisation = plan.organisation
        programme = ProgrammeFactory(plan=plan, number=2)
        item = ObjectiveFactory(
            plan=plan,
            reference="",
            text="A long item text " * 6,
            org_unit=OrgUnitFactory(organisation=organisation, name="Estates"),
            programme=programme,
            goal=GoalFactory(plan=plan, programme=programme),
            strategic_priority=StrategicPriorityFactory(plan=plan, number=3),
            strategic_objective=StrategicObjectiveFactory(plan=plan, number=4),
            sro_text="Director ",
            lead_text="Head of Estates",
            due_text="Sept 06",
            measure="Moved",
        )
        item.sro_roles.set([RoleFactory(organisation=organisation, abbreviation="AO")])
        item.lead_roles.set(
            [RoleFactory(organisation=organisation), RoleFactory(organisation=organisation)]
        )
        item.kpis.set([KPIFactory(plan=plan, code="L2"), KPIFactory(plan=plan, code="F1")])
        ObjectiveFactory(plan=plan)
        MilestoneFactory(objective=item, due_date=dt.date(2006, 9, 30), lead_text="HoE")
        for key in ("objectives", "milestones"):
            kind = plan_content.KINDS[key]
            assert kind.items(plan) == plan_content.read_items(kind, plan), key
