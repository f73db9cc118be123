import pytest

from demo.loader import load_demo
from objectives.models import Objective
from objectives.selectors import objectives_led_by
from planning.models import Membership, User


@pytest.mark.django_db
class TestDemoLoad:
    def test_twice_changes_nothing(self):
        load_demo()
        counts = (User.objects.count(), Membership.objects.count(), Objective.objects.count())
        report = load_demo()
        assert all(line.startswith("Already loaded") for line in report)
        assert (
            User.objects.count(),
            Membership.objects.count(),
            Objective.objects.count(),
        ) == counts

    def test_every_role_in_both_organisations_with_fictional_addresses(self):
        load_demo()
        roles = set(Membership.objects.values_list("user__username", "role"))
        for prefix in ("ssp", "ccg"):
            assert {
                (f"{prefix}-board", "viewer"),
                (f"{prefix}-manager", "contributor"),
                (f"{prefix}-planner", "planner"),
                (f"{prefix}-admin", "admin"),
            } <= roles
        assert all(e.endswith("@example.org") for e in User.objects.values_list("email", flat=True))

    def test_demo_managers_have_work(self):
        load_demo()
        ssp = objectives_led_by(User.objects.get(username="ssp-manager"))
        assert {o.org_unit.name for o in ssp} == {"Estates", "Facilities"}
        assert ssp.count() == 15
        ccg = objectives_led_by(User.objects.get(username="ccg-manager"))
        assert ccg.count() > 0
        assert all("ADA" in (o.lead_text + o.sro_text) for o in ccg)

    def test_partner_sign_in_sees_only_its_contribution(self, client):
        from django.urls import reverse

        load_demo()
        client.force_login(User.objects.get(username="ssp-partner"))
        response = client.get(reverse("budgets:partner", args=["ssp"]))
        assert response.status_code == 200
        assert "203,500" in response.text  # Croydon's management services
        assert "1,329,709" not in response.text  # Wandsworth's
