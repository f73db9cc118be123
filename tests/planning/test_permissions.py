import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from planning import permissions as perms
from planning.permissions import Action
from tests.factories import (
    MembershipFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PlanFactory,
    RoleFactory,
)


@pytest.mark.django_db
class TestRolePermissions:
    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            ("viewer", {Action.VIEW, Action.EXPORT}),
            ("contributor", {Action.VIEW, Action.UPDATE_PROGRESS, Action.EXPORT}),
            (
                "planner",
                {
                    Action.VIEW,
                    Action.UPDATE_PROGRESS,
                    Action.EDIT_PLAN,
                    Action.EXPORT,
                    Action.VIEW_AUDIT,
                    Action.CORRECT_OTHERS,
                    Action.SUBMIT_PLAN,  # approving and ratifying are the administrator's
                    Action.START_REFRESH,  # a refresh of a ratified plan: its next draft
                    Action.ROLL_FORWARD,
                    Action.EXCHANGE_WORKBOOK,  # the whole plan as one workbook, out and in
                },
            ),
            ("admin", set(Action)),
        ],
    )
    def test_role_matrix(self, organisation, role, allowed):
        membership = MembershipFactory(organisation=organisation, role=role)
        for action in Action:
            assert perms.has_permission(membership.user, action, organisation.pk) == (
                action in allowed
            ), (role, action)

    def test_outsider_gets_404_member_without_right_gets_403(self, organisation, viewer, outsider):
        with pytest.raises(Http404):
            perms.require(outsider, Action.VIEW, organisation.pk)
        with pytest.raises(PermissionDenied):
            perms.require(viewer, Action.EDIT_PLAN, organisation.pk)
        perms.require(viewer, Action.VIEW, organisation.pk)


@pytest.mark.django_db
class TestObjectiveUpdatePermission:
    def test_contributor_updates_items_of_their_units_only(self, organisation, contributor):
        plan = PlanFactory(organisation=organisation)
        estates = OrgUnitFactory(organisation=organisation, name="Estates")
        finance = OrgUnitFactory(organisation=organisation, name="Finance")
        contributor.memberships.get().org_units.add(estates)
        mine = ObjectiveFactory(plan=plan, org_unit=estates)
        theirs = ObjectiveFactory(plan=plan, org_unit=finance)
        assert perms.can_update_objective(contributor, mine)
        assert not perms.can_update_objective(contributor, theirs)
        with pytest.raises(PermissionDenied):
            perms.require_objective_update(contributor, theirs)

    def test_contributor_updates_items_whose_role_they_hold(self, organisation, contributor):
        from planning.models import Person

        plan = PlanFactory(organisation=organisation)
        ada = RoleFactory(organisation=organisation, abbreviation="ADA")
        person = Person.objects.create(
            organisation=organisation, name="A N Other", user=contributor
        )
        person.roles.add(ada)
        led = ObjectiveFactory(plan=plan)
        led.lead_roles.add(ada)
        other = ObjectiveFactory(plan=plan)
        assert perms.can_update_objective(contributor, led)
        assert not perms.can_update_objective(contributor, other)

    def test_planner_updates_any_item_viewer_none(self, organisation, planner, viewer, outsider):
        item = ObjectiveFactory(plan=PlanFactory(organisation=organisation))
        assert perms.can_update_objective(planner, item)
        assert not perms.can_update_objective(viewer, item)
        with pytest.raises(Http404):
            perms.require_objective_update(outsider, item)


@pytest.mark.django_db
class TestPlanFor:
    """The one check-then-404/403 for a plan named in a URL (KPI, budget and export pages)."""

    def test_member_with_the_right_gets_the_plan(self, plan, planner):
        assert perms.plan_for(planner, Action.EDIT_PLAN, plan.slug) == plan

    def test_no_such_plan_and_outsider_get_404_member_without_right_403(
        self, plan, viewer, outsider
    ):
        with pytest.raises(Http404):
            perms.plan_for(viewer, Action.VIEW, "no-such-plan")
        with pytest.raises(Http404):
            perms.plan_for(outsider, Action.VIEW, plan.slug)
        with pytest.raises(PermissionDenied):
            perms.plan_for(viewer, Action.EDIT_PLAN, plan.slug)
