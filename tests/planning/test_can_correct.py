"""Who may correct or withdraw a record: its author (while they may still update the item) or a
planner; an outsider gets 404, a member without the right 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from planning import permissions as perms
from tests.factories import MembershipFactory, ObjectiveFactory, OrgUnitFactory, PlanFactory


@pytest.mark.django_db
class TestCanCorrect:
    def test_the_rule_by_role_and_authorship(self, organisation, other_organisation):
        unit = OrgUnitFactory(organisation=organisation)
        item = ObjectiveFactory(plan=PlanFactory(organisation=organisation), org_unit=unit)
        lead = MembershipFactory(organisation=organisation, role="contributor")
        lead.org_units.add(unit)
        other = MembershipFactory(organisation=organisation, role="contributor").user
        viewer = MembershipFactory(organisation=organisation, role="viewer").user
        planner = MembershipFactory(organisation=organisation, role="planner").user
        outsider = MembershipFactory(organisation=other_organisation, role="planner").user
        org = organisation.pk

        def may(user, author):
            return perms.can_correct(
                user, organisation_id=org, author_id=author.pk if author else None, objective=item
            )

        assert may(lead.user, lead.user)  # their own
        assert not may(lead.user, planner)  # somebody else's
        assert not may(lead.user, None)  # the source document's
        assert not may(other, other)  # their own, but they may no longer update the item
        assert may(planner, lead.user) and may(planner, None)
        assert not may(viewer, viewer)
        assert not may(outsider, outsider)
        with pytest.raises(Http404):
            perms.require_correction(outsider, organisation_id=org, author_id=None)
        with pytest.raises(PermissionDenied):
            perms.require_correction(lead.user, organisation_id=org, author_id=planner.pk)
        # Without an item (a KPI value): the author needs the right to enter values.
        assert perms.can_correct(other, organisation_id=org, author_id=other.pk)
        assert not perms.can_correct(viewer, organisation_id=org, author_id=viewer.pk)
