"""Money as every page and PDF prints it (planning.money): one definition."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planning.money import format_money

D = Decimal


class TestFormatMoney:
    @pytest.mark.parametrize(
        ("amount", "text"),
        [
            (D("1234567"), "£1,234,567"),
            (D("1234567.00"), "£1,234,567"),
            (D("1234.5"), "£1,234.50"),
            (D("0.07"), "£0.07"),
            (D("0"), "£0"),
            (D("-1"), "\u2212£1"),
            (D("-1234.56"), "\u2212£1,234.56"),
            (D("-0.001"), "£0"),  # rounds to nothing: no minus sign on £0
            (D("0.005"), "£0.01"),  # half up, to the penny
            (None, "—"),
        ],
    )
    def test_formats(self, amount, text):
        assert format_money(amount) == text

    def test_unsigned(self):
        assert format_money(D("-13643321"), signed=False) == "£13,643,321"

    def test_refuses_floats(self):
        with pytest.raises(TypeError):
            format_money(1.5)

    @pytest.mark.parametrize(
        ("amount", "text"),
        [
            (D("3400000"), "£3.4m"),
            (D("12000000"), "£12m"),
            (D("1234567"), "£1,234,567"),  # millions only when nothing is lost
            (D("340000"), "£340,000"),  # under a million: the full figure
            (D("-2500000"), "\u2212£2.5m"),
        ],
    )
    def test_millions_where_the_sources_print_them(self, amount, text):
        assert format_money(amount, millions=True) == text
