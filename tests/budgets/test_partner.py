"""A partner's users see their own contributions to the provider, and nothing of anybody else's."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import IncomeLine, ServiceLine
from planning.models import Organisation
from tests.budgets.conftest import member_of
from tests.budgets.helpers import page_text
from tests.factories import PlanFactory

D = Decimal
PARTNER = reverse("budgets:partner", args=["ssp"])
CROYDON = ["£9,234", "£203,500", "£12,000", "£17,230", "£0"]
KINGSTON_ONLY = ["£187,807", "£59,184", "£256,225"]  # Kingston's figures that Croydon's lack


def money_cells(text: str) -> list[str]:
    return re.findall(r"app-money\">(£[\d,]+)<", text)


@pytest.mark.django_db
class TestPartnerIsolation:
    def test_croydon_sees_its_own_contributions(self, client, croydon_user):
        client.force_login(croydon_user)
        response = client.get(PARTNER)
        assert response.status_code == 200
        text = page_text(response)
        assert "What Croydon PCT pays SSP" in text
        # Its five lines in service-line order, then its total.
        assert money_cells(text) == [*CROYDON, "£241,964"]
        for line in ["Membership Fee / O'heads", "Management Services", "Facilities Services"]:
            assert line in text

    def test_and_nothing_of_anybody_elses(self, client, croydon_user):
        client.force_login(croydon_user)
        text = page_text(client.get(PARTNER))
        for figure in KINGSTON_ONLY + ["£1,329,709", "£13,643,320", "£102,536"]:
            assert figure not in text
        for name in ["Kingston", "Wandsworth", "Sutton", "Richmond", "Others", "St Georges"]:
            assert name not in text

    def test_asking_for_another_partner_is_not_found(self, client, croydon_user):
        client.force_login(croydon_user)
        assert client.get(PARTNER + "?partner=kingston-pct").status_code == 404
        assert client.get(PARTNER + "?partner=croydon-pct").status_code == 200

    def test_kingston_sees_kingstons_not_croydons(self, client, kingston_user):
        client.force_login(kingston_user)
        text = page_text(client.get(PARTNER))
        assert money_cells(text) == ["£9,234", "£187,807", "£59,184", "£0", "£0", "£256,225"]
        assert "£203,500" not in text and "Croydon" not in text

    def test_partner_users_see_nothing_else_of_the_provider(self, client, ssp_plan, croydon_user):
        client.force_login(croydon_user)
        for url in [
            reverse("budgets:summary", args=[ssp_plan.slug, 2006]),
            reverse("budgets:monitoring", args=[ssp_plan.slug, 2006]),
            reverse("budgets:savings", args=[ssp_plan.slug]),
            reverse("budgets:income_edit", args=[ssp_plan.slug, 2006]),
            ssp_plan.get_absolute_url(),
        ]:
            assert client.get(url).status_code == 404, url

    def test_a_member_of_neither_gets_not_found(self, client, ssp_plan, outsider):
        client.force_login(outsider)
        assert client.get(PARTNER).status_code == 404
        assert client.get(PARTNER + "?partner=croydon-pct").status_code == 404
        assert client.get(reverse("budgets:partner", args=["no-such-org"])).status_code == 404

    def test_a_partner_of_another_provider_gets_not_found(self, client, ssp_plan):
        other_provider = Organisation.objects.create(
            name="Elsewhere", slug="elsewhere", kind="partnership"
        )
        croydon = Organisation.objects.get(slug="croydon-pct")
        client.force_login(member_of(croydon))
        url = reverse("budgets:partner", args=[other_provider.slug])
        assert client.get(url).status_code == 404

    def test_the_index_links_the_partner_view(self, client, croydon_user):
        client.force_login(croydon_user)
        text = page_text(client.get(reverse("budgets:index")))
        assert "What Croydon PCT pays Support Services Partnership South West London" in text
        assert PARTNER in text


@pytest.mark.django_db
class TestProviderMembers:
    def test_choose_any_partner_and_see_what_it_sees(self, client, ssp_viewer):
        client.force_login(ssp_viewer)
        chooser = page_text(client.get(PARTNER))
        assert "?partner=croydon-pct" in chooser and "?partner=kingston-pct" in chooser
        text = page_text(client.get(PARTNER + "?partner=croydon-pct"))
        assert money_cells(text) == [*CROYDON, "£241,964"]
        assert client.get(PARTNER + "?partner=nobody").status_code == 404


@pytest.mark.django_db
def test_year_on_year(client, ssp_plan, croydon_user):
    """A second year's plan adds a column and the change from the year before."""
    croydon = Organisation.objects.get(slug="croydon-pct")
    next_plan = PlanFactory(organisation=ssp_plan.organisation, start_year=2007, end_year=2007)
    line = ServiceLine.objects.create(plan=next_plan, name="Management Services", order=2)
    IncomeLine.objects.create(
        plan=next_plan,
        financial_year=2007,
        funder=croydon,
        funder_label="Croydon PCT",
        service_line=line,
        amount=D(210000),
    )
    client.force_login(croydon_user)
    text = page_text(client.get(PARTNER))
    assert "2006/07" in text and "2007/08" in text
    assert "£210,000" in text
    # 241,964 in 2006/07, 210,000 in 2007/08.
    assert "\u2212£31,964 (\u221213.2%)" in text
