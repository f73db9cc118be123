"""SWOT items and PESTEL drivers: added at the end of their quadrant/category, reordered within
it only, moved to the end of another when their quadrant changes, version-checked, refused on a
locked plan, deleted; and their editing pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning.concurrency import StaleEditError
from planning.models import PlanStatus
from swot import services
from swot.models import PestelDriver, SwotItem
from tests.factories import PlanFactory, SwotItemFactory


def texts(plan, quadrant):
    return list(
        SwotItem.objects.filter(plan=plan, quadrant=quadrant)
        .order_by("order")
        .values_list("text", flat=True)
    )


@pytest.mark.django_db
class TestSwotServices:
    def test_add_and_reorder_within_a_quadrant(self, plan, planner):
        a = services.swot_item_create(plan=plan, by=planner, data={"quadrant": "S", "text": "A"})
        services.swot_item_create(plan=plan, by=planner, data={"quadrant": "W", "text": "W1"})
        b = services.swot_item_create(plan=plan, by=planner, data={"quadrant": "S", "text": "B"})
        assert texts(plan, "S") == ["A", "B"]
        services.swot_item_move(
            plan=plan, pk=b.pk, direction="up", by=planner, expected_version=b.version
        )
        assert texts(plan, "S") == ["B", "A"]
        # The top of Strengths does not move into another quadrant.
        a.refresh_from_db()
        services.swot_item_move(
            plan=plan, pk=a.pk, direction="down", by=planner, expected_version=a.version
        )
        assert texts(plan, "S") == ["B", "A"]
        assert texts(plan, "W") == ["W1"]

    def test_changing_quadrant_goes_to_its_end(self, plan, planner):
        services.swot_item_create(plan=plan, by=planner, data={"quadrant": "T", "text": "T1"})
        item = services.swot_item_create(plan=plan, by=planner, data={"quadrant": "S", "text": "x"})
        services.swot_item_update(
            plan=plan,
            pk=item.pk,
            by=planner,
            expected_version=1,
            data={"quadrant": "T", "text": "x"},
        )
        assert texts(plan, "T") == ["T1", "x"]

    def test_stale_and_foreign_refused(self, plan, planner, organisation):
        item = SwotItemFactory(plan=plan, text="Mine")
        foreign = SwotItemFactory(plan=PlanFactory(organisation=organisation), text="Theirs")
        with pytest.raises(StaleEditError):
            services.swot_item_update(
                plan=plan,
                pk=item.pk,
                by=planner,
                expected_version=7,
                data={"quadrant": "S", "text": "Changed"},
            )
        with pytest.raises(ValidationError, match="not part of this plan"):
            services.swot_item_move(
                plan=plan, pk=foreign.pk, direction="up", by=planner, expected_version=1
            )
        assert SwotItem.objects.get(pk=item.pk).text == "Mine"

    def test_locked_plan_refused(self, plan, planner):
        plan.status = PlanStatus.RATIFIED
        plan.save()
        with pytest.raises(ValidationError, match="locked"):
            services.pestel_driver_create(
                plan=plan, by=planner, data={"category": "legal", "text": "x"}
            )
        assert not PestelDriver.objects.exists()

    def test_pestel_delete_is_audited(self, plan, planner):
        driver = services.pestel_driver_create(
            plan=plan, by=planner, data={"category": "legal", "text": "Law"}
        )
        services.pestel_driver_delete(plan=plan, pk=driver.pk, by=planner, expected_version=1)
        assert not PestelDriver.objects.exists()
        assert PestelDriver.history.filter(history_type="-").get().history_user == planner


@pytest.mark.django_db
class TestSwotPages:
    def test_planner_adds_through_the_page(self, client, plan, planner):
        client.force_login(planner)
        url = reverse("planning:edit_add", args=[plan.slug, "swot"])
        assert client.get(url).status_code == 200
        response = client.post(url, {"quadrant": "O", "text": "New money"})
        assert response.status_code == 302
        assert texts(plan, "O") == ["New money"]

    @pytest.mark.parametrize("who", ["viewer", "contributor"])
    def test_others_may_not(self, client, plan, who, request):
        client.force_login(request.getfixturevalue(who))
        url = reverse("planning:edit_add", args=[plan.slug, "pestel"])
        assert client.post(url, {"category": "legal", "text": "x"}).status_code == 403
        assert not PestelDriver.objects.exists()

    def test_outsider_gets_404(self, client, plan, outsider):
        client.force_login(outsider)
        assert (
            client.get(reverse("planning:edit_list", args=[plan.slug, "swot"])).status_code == 404
        )
