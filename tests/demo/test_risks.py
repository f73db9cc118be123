"""The demo risk registers: Herefordshire's risks item by item against the cabinet report, and
SSP's synthetic scored register, reproducible."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assurance.models import Risk
from demo import risks
from demo.loader import load_demo
from planning.models import User
from tests.demo.conftest import read_source


def _flat(text: str) -> str:
    """The report's text with its page breaks ("… there is\\n\\n- effective …") and line ends
    undone, for comparing sentences."""
    text = re.sub(r"\s*\n\s*\n-\s+", " ", text)
    return " ".join(text.split())


@pytest.mark.django_db
class TestHerefordshire:
    def test_each_risk_and_mitigation_is_the_report_s_own_words(self):
        source = _flat(read_source(risks.HEREFORDSHIRE_SOURCE))
        section = source[source.index("Risk Management") : source.index("Consultees")]
        load_demo()
        recorded = {r.reference: r for r in Risk.objects.filter(organisation__slug="hssp")}
        assert sorted(recorded) == ["a", "b", "c", "d", "e"]
        for letter, _, event, mitigation in risks.HEREFORDSHIRE_RISKS:
            risk = recorded[letter]
            item = section[section.index(f"- {letter}. ") :]
            if letter != "e":
                item = item[: item.index(f"- {chr(ord(letter) + 1)}. ")]
            assert risk.event == event
            # Item a's heading is in asterisks (italic): the rest are sentences as printed.
            assert event in item.replace("*", ""), letter
            control = risk.controls.get()
            assert control.description == mitigation
            assert mitigation in item, letter
            assert control.line_of_defence is None

    def test_recorded_unscored_and_the_page_says_so(self, client):
        load_demo()
        for risk in Risk.objects.filter(organisation__slug="hssp"):
            assert not risk.is_scored
            assert risk.reviews.count() == 0 and risk.review_date is None
        client.force_login(User.objects.get(username="hssp-board"))
        page = client.get(reverse("assurance:register", args=["hssp"])).text
        assert "not scored in the source" in page.lower()
        assert "Programme Governance" in page


@pytest.mark.django_db
class TestSyntheticRegister:
    def _scores(self):
        return [
            (r.reference, r.inherent.score, r.current.score, r.target.score,
             [v.score for v in r.reviews.all()])
            for r in Risk.objects.filter(synthetic=True).order_by("pk").prefetch_related("reviews")
        ]  # fmt: skip

    def test_reproducible_labelled_and_idempotent(self, client):
        load_demo()
        first = self._scores()
        assert len(first) == len(risks.SYNTHETIC_RISKS)
        assert all(ref.startswith("SYN") for ref, *_ in first)
        assert all(t <= i for _, i, _, t, _ in first)
        assert all(reviews[-1] == current for _, _, current, _, reviews in first)
        load_demo()  # a second load changes nothing
        assert self._scores() == first
        Risk.objects.filter(synthetic=True).delete()
        risks.load_ssp_synthetic()
        assert [s[1:] for s in self._scores()] == [s[1:] for s in first]  # same seed, same scores
        client.force_login(User.objects.get(username="ssp-board"))
        page = client.get(reverse("assurance:baf", args=[risks.SSP_PLAN])).text
        assert "Synthetic demo risks" in page and "Heat map" in page
