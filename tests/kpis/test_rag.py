"""RAG from target and tolerance, by polarity (kpis/rag.py, plain Python)."""

from decimal import Decimal as D

import pytest

from kpis.rag import rate


class TestHigherIsBetter:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (D("95"), "green"),
            (D("90"), "green"),  # on target
            (D("89.99"), "amber"),  # never rounded up to the target
            (D("80"), "amber"),  # exactly the tolerance short: still Amber
            (D("79.9999"), "red"),
            (D("0"), "red"),
        ],
    )
    def test_bands(self, value, expected):
        assert rate(value, target=D("90"), tolerance=D("10"), polarity="higher") == expected


class TestLowerIsBetter:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (D("3.2"), "green"),
            (D("4"), "green"),
            (D("4.01"), "amber"),
            (D("4.5"), "amber"),
            (D("4.51"), "red"),
        ],
    )
    def test_bands(self, value, expected):
        assert rate(value, target=D("4"), tolerance=D("0.5"), polarity="lower") == expected


class TestNoRating:
    def test_neutral_has_no_rag(self):
        assert rate(D("5"), target=D("4"), tolerance=D("1"), polarity="neutral") is None

    def test_no_target_or_no_value(self):
        assert rate(D("5"), target=None, polarity="higher") is None
        assert rate(None, target=D("4"), polarity="lower") is None


class TestTolerance:
    def test_missing_tolerance_means_no_amber(self):
        assert rate(D("89.9"), target=D("90"), tolerance=None, polarity="higher") == "red"
        assert rate(D("90"), target=D("90"), tolerance=None, polarity="higher") == "green"

    def test_integers_work(self):
        assert rate(85, target=90, tolerance=5, polarity="higher") == "amber"

    def test_negative_tolerance_or_unknown_polarity_refused(self):
        with pytest.raises(ValueError):
            rate(D("1"), target=D("2"), tolerance=D("-1"), polarity="higher")
        with pytest.raises(ValueError):
            rate(D("1"), target=D("2"), polarity="up")
