"""A planner's editing of objectives and actions: add, change, move within a list or to
another department, delete only while nothing reports on it (objectives.editing and its pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from objectives import editing
from objectives.forms_editing import ObjectiveForm
from objectives.models import Objective
from planning.concurrency import StaleEditError
from planning.fy import Quarter
from planning.models import PlanStatus
from tests.factories import (
    KPIFactory,
    MilestoneFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgressUpdateFactory,
    RoleFactory,
    reopen_reported_quarters,
)


def _data(**overrides) -> dict:
    data = {"kind": "operational", "reference": "", "text": "Open the new clinic"}
    data.update(overrides)
    return data


def _post_data(objective=None, **overrides) -> dict:
    """The form as a browser sends it."""
    data = {
        "kind": "operational",
        "reference": "",
        "text": "Open the new clinic",
        "version": objective.version if objective else "",
    }
    if objective is not None:
        data.update(
            kind=objective.kind,
            reference=objective.reference,
            text=objective.text,
            org_unit=objective.org_unit_id or "",
        )
    data.update(overrides)
    return data


@pytest.fixture
def estates(organisation):
    return OrgUnitFactory(organisation=organisation, name="Estates")


@pytest.fixture
def finance(organisation):
    return OrgUnitFactory(organisation=organisation, name="Finance")


@pytest.mark.django_db
class TestCreate:
    def test_adds_last_in_the_plan_and_records_who(self, plan, planner, estates, organisation):
        ObjectiveFactory(plan=plan, order=7)
        role = RoleFactory(organisation=organisation)
        kpi = KPIFactory(plan=plan)
        item = editing.objective_create(
            plan=plan,
            by=planner,
            data=_data(
                reference=" 6.1 ", org_unit=estates, lead_roles=[role], kpis=[kpi], is_new=True
            ),
        )
        assert item.order == 8
        assert item.reference == "6.1"
        assert list(item.lead_roles.all()) == [role]
        assert list(item.kpis.all()) == [kpi]
        assert item.history.get().history_user == planner

    def test_duplicate_reference_is_refused_on_the_field(self, plan, planner):
        ObjectiveFactory(plan=plan, reference="6.1")
        with pytest.raises(ValidationError) as error:
            editing.objective_create(plan=plan, by=planner, data=_data(reference="6.1"))
        assert "reference" in error.value.message_dict
        assert Objective.objects.count() == 1

    def test_the_same_reference_in_another_plan_is_fine(self, plan, planner, organisation):
        ObjectiveFactory(plan=PlanFactory(organisation=organisation), reference="6.1")
        assert editing.objective_create(plan=plan, by=planner, data=_data(reference="6.1")).pk

    def test_another_organisations_department_is_refused(self, plan, planner):
        foreign = OrgUnitFactory()
        with pytest.raises(ValidationError) as error:
            editing.objective_create(plan=plan, by=planner, data=_data(org_unit=foreign))
        assert "org_unit" in error.value.message_dict
        assert not Objective.objects.exists()

    def test_a_locked_plan_is_refused(self, plan, planner):
        plan.status = PlanStatus.RATIFIED
        plan.save()
        with pytest.raises(ValidationError) as error:
            editing.objective_create(plan=plan, by=planner, data=_data())
        assert "refresh" in error.value.messages[0]
        assert not Objective.objects.exists()


@pytest.mark.django_db
class TestUpdate:
    def test_saves_and_raises_the_version(self, plan, planner):
        item = ObjectiveFactory(plan=plan, text="Old words")
        saved = editing.objective_update(
            objective=item, by=planner, expected_version=item.version, data=_data(text="New")
        )
        item.refresh_from_db()
        assert (item.text, item.version) == ("New", 2)
        assert saved.history.first().history_user == planner

    def test_stale_version_is_refused_and_nothing_saved(self, plan, planner):
        item = ObjectiveFactory(plan=plan, text="Old words")
        editing.objective_update(objective=item, by=planner, expected_version=1, data=_data())
        with pytest.raises(StaleEditError):
            editing.objective_update(
                objective=item, by=planner, expected_version=1, data=_data(text="Mine")
            )
        item.refresh_from_db()
        assert item.text == "Open the new clinic"

    def test_duplicate_reference_is_refused(self, plan, planner):
        ObjectiveFactory(plan=plan, reference="1.1")
        item = ObjectiveFactory(plan=plan, reference="1.2")
        with pytest.raises(ValidationError) as error:
            editing.objective_update(
                objective=item, by=planner, expected_version=1, data=_data(reference="1.1")
            )
        assert "reference" in error.value.message_dict
        item.refresh_from_db()
        assert item.reference == "1.2"

    def test_moving_to_another_department_puts_it_last_there(self, plan, planner, estates, finance):
        item = ObjectiveFactory(plan=plan, org_unit=estates, order=0)
        last = ObjectiveFactory(plan=plan, org_unit=finance, order=5)
        editing.objective_update(
            objective=item, by=planner, expected_version=1, data=_data(org_unit=finance)
        )
        item.refresh_from_db()
        assert item.org_unit == finance
        assert item.order > last.order

    def test_progress_is_not_touched(self, plan, planner):
        item = ObjectiveFactory(plan=plan, status="in_progress", rag="amber", percent_complete=40)
        editing.objective_update(objective=item, by=planner, expected_version=1, data=_data())
        item.refresh_from_db()
        assert (item.status, item.rag, item.percent_complete) == ("in_progress", "amber", 40)

    def test_a_locked_plan_is_refused(self, plan, planner):
        item = ObjectiveFactory(plan=plan, text="Agreed words")
        plan.status = PlanStatus.SUPERSEDED
        plan.save()
        with pytest.raises(ValidationError):
            editing.objective_update(
                objective=item, by=planner, expected_version=1, data=_data(text="New")
            )
        item.refresh_from_db()
        assert item.text == "Agreed words"


@pytest.mark.django_db
class TestMove:
    def test_moves_within_its_department_only(self, plan, planner, estates, finance):
        a = ObjectiveFactory(plan=plan, org_unit=estates, order=1)
        other = ObjectiveFactory(plan=plan, org_unit=finance, order=2)
        b = ObjectiveFactory(plan=plan, org_unit=estates, order=3)
        assert editing.objective_move(objective=b, by=planner, expected_version=1, up=True)
        in_estates = list(Objective.objects.filter(org_unit=estates).order_by("order"))
        assert in_estates == [b, a]
        other.refresh_from_db()
        assert other.order == 2

    def test_first_cannot_move_up(self, plan, planner, estates):
        a = ObjectiveFactory(plan=plan, org_unit=estates, order=1)
        ObjectiveFactory(plan=plan, org_unit=estates, order=2)
        assert not editing.objective_move(objective=a, by=planner, expected_version=1, up=True)

    def test_equal_orders_still_move(self, plan, planner, estates):
        a = ObjectiveFactory(plan=plan, org_unit=estates, order=0)
        b = ObjectiveFactory(plan=plan, org_unit=estates, order=0)
        editing.objective_move(objective=a, by=planner, expected_version=1, up=False)
        assert list(Objective.objects.filter(org_unit=estates).order_by("order", "pk")) == [b, a]

    def test_only_the_moved_items_version_is_raised(self, plan, planner, estates):
        # The neighbour's version guards its progress updates: a move must not make them stale.
        a = ObjectiveFactory(plan=plan, org_unit=estates, order=1)
        b = ObjectiveFactory(plan=plan, org_unit=estates, order=2)
        editing.objective_move(objective=b, by=planner, expected_version=1, up=True)
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.order, b.order) == (2, 1)
        assert (a.version, b.version) == (1, 2)
        assert a.history.latest().history_user == planner

    def test_uses_the_one_reorder_rule(self, plan, planner, estates, monkeypatch):
        """Reordering is defined once (planning.ordering.move): objectives call it too."""
        from planning import ordering

        calls = []
        real = ordering.move
        monkeypatch.setattr(ordering, "move", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
        ObjectiveFactory(plan=plan, org_unit=estates, order=1)
        b = ObjectiveFactory(plan=plan, org_unit=estates, order=2)
        assert editing.objective_move(objective=b, by=planner, expected_version=1, up=True)
        assert calls == [ordering.UP]

    def test_stale_version_is_refused(self, plan, planner, estates):
        ObjectiveFactory(plan=plan, org_unit=estates, order=1)
        b = ObjectiveFactory(plan=plan, org_unit=estates, order=2)
        with pytest.raises(StaleEditError):
            editing.objective_move(objective=b, by=planner, expected_version=0, up=True)


@pytest.mark.django_db
class TestDelete:
    def test_deletes_an_item_nothing_reports_on(self, plan, planner):
        item = ObjectiveFactory(plan=plan)
        editing.objective_delete(objective=item, by=planner, expected_version=1)
        assert not Objective.objects.exists()
        deleted = Objective.history.filter(history_type="-").get()
        assert deleted.history_user == planner

    @pytest.mark.parametrize(
        "report",
        [
            lambda item: ProgressUpdateFactory(objective=item),
            lambda item: MilestoneFactory(objective=item),
            lambda item: item.kpis.add(KPIFactory(plan=item.plan)),
        ],
        ids=["update", "milestone", "kpi"],
    )
    def test_refused_when_something_reports_on_it(self, plan, planner, report):
        item = ObjectiveFactory(plan=plan)
        report(item)
        item.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            editing.objective_delete(objective=item, by=planner, expected_version=item.version)
        assert "Cancel it instead" in error.value.messages[0]
        assert Objective.objects.filter(pk=item.pk).exists()

    def test_a_locked_plan_is_refused(self, plan, planner):
        item = ObjectiveFactory(plan=plan)
        plan.status = PlanStatus.RATIFIED
        plan.save()
        with pytest.raises(ValidationError):
            editing.objective_delete(objective=item, by=planner, expected_version=1)
        assert Objective.objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
class TestPages:
    def test_planner_adds_an_item(self, client, plan, planner, estates):
        client.force_login(planner)
        url = reverse("objectives:create", args=[plan.slug])
        assert client.get(url).status_code == 200
        response = client.post(url, _post_data(reference="2.1", org_unit=estates.pk))
        item = Objective.objects.get()
        assert response.status_code == 302
        assert response["Location"] == item.get_absolute_url()
        assert item.org_unit == estates

    def test_duplicate_reference_shows_next_to_the_field(self, client, plan, planner):
        ObjectiveFactory(plan=plan, reference="2.1")
        client.force_login(planner)
        response = client.post(
            reverse("objectives:create", args=[plan.slug]), _post_data(reference="2.1")
        )
        assert response.status_code == 400
        assert "already has the reference 2.1" in response.content.decode()
        assert "nhsuk-error-summary" in response.content.decode()
        assert Objective.objects.count() == 1

    def test_edit_and_stale_edit(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan, text="Old words")
        client.force_login(planner)
        url = reverse("objectives:edit", args=[item.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, _post_data(item, text="New words")).status_code == 302
        response = client.post(url, _post_data(item, text="Stale words"))  # version 1 again
        assert response.status_code == 409
        item.refresh_from_db()
        assert item.text == "New words"

    def test_locked_plan_edit_is_refused_with_a_message(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan, text="Agreed words")
        plan.status = PlanStatus.RATIFIED
        plan.save()
        client.force_login(planner)
        response = client.post(
            reverse("objectives:edit", args=[item.pk]), _post_data(item, text="New")
        )
        assert response.status_code == 400
        assert "Start a refresh" in response.content.decode()

    def test_move_buttons(self, client, plan, planner, estates):
        a = ObjectiveFactory(plan=plan, org_unit=estates, order=1)
        b = ObjectiveFactory(plan=plan, org_unit=estates, order=2)
        client.force_login(planner)
        page = client.get(b.get_absolute_url()).content.decode()
        assert reverse("objectives:move", args=[b.pk]) in page
        response = client.post(
            reverse("objectives:move", args=[b.pk]), {"version": 1, "direction": "up"}
        )
        assert response.status_code == 302
        a.refresh_from_db()
        b.refresh_from_db()
        assert b.order < a.order

    def test_delete_refused_page_says_cancel_instead(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=item)
        client.force_login(planner)
        url = reverse("objectives:delete", args=[item.pk])
        assert "Cancel it instead" in client.get(url).content.decode()
        assert client.post(url, {"version": item.version}).status_code == 400
        assert Objective.objects.filter(pk=item.pk).exists()

    def test_delete(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(reverse("objectives:delete", args=[item.pk]), {"version": 1})
        assert response.status_code == 302
        assert not Objective.objects.exists()

    def test_contributor_sees_no_planner_controls(self, client, plan, contributor):
        item = ObjectiveFactory(plan=plan)
        client.force_login(contributor)
        page = client.get(item.get_absolute_url()).content.decode()
        assert reverse("objectives:edit", args=[item.pk]) not in page
        plan_page = client.get(plan.get_absolute_url()).content.decode()
        assert reverse("objectives:create", args=[plan.slug]) not in plan_page

    def test_planner_sees_the_links(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        assert (
            reverse("objectives:edit", args=[item.pk])
            in client.get(item.get_absolute_url()).content.decode()
        )
        assert (
            reverse("objectives:create", args=[plan.slug])
            in client.get(plan.get_absolute_url()).content.decode()
        )


@pytest.mark.django_db
class TestQueryCounts:
    @pytest.mark.parametrize("size", [1, 30])
    def test_form_pages(
        self, client, plan, planner, organisation, django_assert_max_num_queries, size
    ):
        for n in range(size):
            OrgUnitFactory(organisation=organisation)
            RoleFactory(organisation=organisation)
            KPIFactory(plan=plan)
            ObjectiveFactory(plan=plan)
        item = Objective.objects.first()
        client.force_login(planner)
        for url in (
            reverse("objectives:create", args=[plan.slug]),
            reverse("objectives:edit", args=[item.pk]),
            reverse("objectives:delete", args=[item.pk]),
            reverse("objectives:close", args=[item.pk]),
        ):
            with django_assert_max_num_queries(16):  # 5–16 measured, at any size
                assert client.get(url).status_code == 200


@pytest.mark.django_db
class TestClose:
    @pytest.fixture(autouse=True)
    def _reported_quarters_open(self, request, plan):
        # Closing is a progress update: it obeys the period lock (planning.reporting_window).
        # The 2006/07 factory plan's quarters locked long ago; these tests reopen them as a
        # planner would, except the one that shows the lock.
        if "locked" not in request.node.name:
            reopen_reported_quarters(plan)

    def test_closing_into_a_locked_quarter_is_refused(self, plan, planner):
        item = ObjectiveFactory(plan=plan)
        with pytest.raises(ValidationError, match="is locked"):
            editing.objective_close(
                objective=item, by=planner, expected_version=1, status="cancelled", reason="Why"
            )
        item.refresh_from_db()
        assert item.status != "cancelled"

    def test_cancel_is_a_progress_update_with_the_reason(self, plan, planner):
        item = ObjectiveFactory(plan=plan, rag="amber", percent_complete=40)
        update = editing.objective_close(
            objective=item,
            by=planner,
            expected_version=1,
            status="cancelled",
            reason="Superseded by the estates strategy",
            today=dt.date(2006, 11, 1),
        )
        item.refresh_from_db()
        assert item.status == "cancelled"
        assert item.is_closed
        assert item.latest_update == update
        assert (update.created_by, update.narrative) == (
            planner,
            "Superseded by the estates strategy",
        )
        assert (update.financial_year, update.quarter) == (2006, 3)

    def test_complete_is_blue_and_100(self, plan, planner):
        item = ObjectiveFactory(plan=plan)
        editing.objective_close(
            objective=item,
            by=planner,
            expected_version=1,
            status="completed",
            reason="Delivered in October",
            today=dt.date(2006, 11, 1),
        )
        item.refresh_from_db()
        assert (item.status, item.rag, item.percent_complete) == ("completed", "blue", 100)

    def test_after_the_plan_ended_it_reports_on_the_last_quarter(self, plan):
        assert editing.closing_quarter(plan, dt.date(2030, 1, 1)) == Quarter(2006, 4)

    def test_a_reason_is_needed(self, plan, planner):
        item = ObjectiveFactory(plan=plan)
        with pytest.raises(ValidationError) as error:
            editing.objective_close(
                objective=item, by=planner, expected_version=1, status="cancelled", reason=" "
            )
        assert "reason" in error.value.message_dict
        assert not item.updates.exists()

    def test_stale_version_is_refused(self, plan, planner):
        item = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=item)
        with pytest.raises(StaleEditError):
            editing.objective_close(
                objective=item, by=planner, expected_version=0, status="cancelled", reason="Why"
            )

    def test_allowed_on_a_ratified_plan(self, plan, planner):
        """Closing is progress, not content: it carries on after ratification."""
        item = ObjectiveFactory(plan=plan)
        plan.status = PlanStatus.RATIFIED
        plan.save()
        editing.objective_close(
            objective=item,
            by=planner,
            expected_version=1,
            status="completed",
            reason="Delivered",
            today=dt.date(2006, 11, 1),
        )
        item.refresh_from_db()
        assert item.is_complete

    def test_page_shows_it_in_the_history(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        url = reverse("objectives:close", args=[item.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url, {"version": 1, "status": "cancelled", "reason": "No longer funded"}
        )
        assert response.status_code == 302
        page = client.get(item.get_absolute_url()).content.decode()
        assert "No longer funded" in page
        assert reverse("objectives:close", args=[item.pk]) not in page  # already closed

    def test_page_without_a_reason_says_so(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            reverse("objectives:close", args=[item.pk]), {"version": 1, "status": "cancelled"}
        )
        assert response.status_code == 400
        assert "nhsuk-error-summary" in response.content.decode()
        assert not item.updates.exists()


@pytest.mark.django_db
class TestObjectivesTableLink:
    def test_offered_to_a_planner_filtering_to_their_plan(self, client, plan, planner):
        client.force_login(planner)
        url = reverse("objectives:list") + f"?plan={plan.pk}"
        assert reverse("objectives:create", args=[plan.slug]) in client.get(url).content.decode()

    def test_not_offered_to_a_contributor(self, client, plan, contributor):
        client.force_login(contributor)
        url = reverse("objectives:list") + f"?plan={plan.pk}"
        assert (
            reverse("objectives:create", args=[plan.slug]) not in client.get(url).content.decode()
        )

    def test_locked_plan_form_says_how_to_start_a_refresh(self, client, plan, planner):
        plan.status = PlanStatus.RATIFIED
        plan.save()
        client.force_login(planner)
        page = client.get(reverse("objectives:create", args=[plan.slug])).content.decode()
        assert "Start a refresh" in page


class TestForm:
    def test_offers_exactly_the_fields_the_service_edits(self):
        fields = ObjectiveForm.Meta.fields
        assert sorted(fields) == sorted([*editing.EDITABLE_FIELDS, *editing.MANY_FIELDS])


@pytest.mark.django_db
class TestDoubleSubmit:
    def test_the_same_edit_form_twice_is_answered_as_saved(self, client, plan, planner):
        item = ObjectiveFactory(plan=plan, text="Old words")
        client.force_login(planner)
        url = reverse("objectives:edit", args=[item.pk])
        data = _post_data(item, text="New words", submission_token="tok-edit-1")
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # not a 409 against oneself
        item.refresh_from_db()
        assert (item.text, item.version) == ("New words", 2)

    def test_the_same_create_form_twice_adds_one_item(self, client, plan, planner):
        client.force_login(planner)
        url = reverse("objectives:create", args=[plan.slug])
        data = _post_data(submission_token="tok-create-1")
        client.post(url, data)
        client.post(url, data)
        assert Objective.objects.count() == 1
