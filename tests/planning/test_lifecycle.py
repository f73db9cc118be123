import pytest
from django.core.exceptions import ValidationError

from planning import lifecycle
from planning.models import PlanStatus
from tests.factories import PlanFactory


@pytest.mark.django_db
class TestRequireEditable:
    @pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.APPROVED])
    def test_drafts_and_approved_plans_may_change(self, status):
        plan = PlanFactory(status=status)
        lifecycle.require_editable(plan)
        assert lifecycle.is_editable(plan)

    @pytest.mark.parametrize("status", [PlanStatus.RATIFIED, PlanStatus.SUPERSEDED])
    def test_ratified_and_superseded_plans_are_locked_with_a_way_on(self, status):
        plan = PlanFactory(status=status)
        with pytest.raises(ValidationError, match="Start a refresh"):
            lifecycle.require_editable(plan)
