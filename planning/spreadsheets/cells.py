"""Reading one cell of an import: text, numbers, money and months, one parser each.

A cell is what the file gives: text from a CSV file; text, a number (int or float), a date or a
boolean from a workbook. Each parser returns the value or raises ValueError with a reason fit
for the user that does not name the column (the caller adds it: "amount " + reason), and
MissingCell for an empty cell.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from planning import fy

# Commas only as thousands separators: "1,234,567.50", never "1,5" (a decimal comma, which
# would otherwise silently multiply the number) nor "1,2,3".
_GROUPED = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")
_POUND_AFTER_SIGN = re.compile(r"^([-+]?)£")
# Money fields hold 14 digits, 2 of them after the point.
MONEY_BELOW = Decimal(10) ** 12
PENNY = Decimal("0.01")
MONTH_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%b %Y", "%B %Y", "%m/%Y")  # besides 2006-09


class MissingCell(ValueError):
    """The cell is empty."""


def blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def text(cell: object) -> str:
    """A cell as one line of text: 12.0 from a workbook reads as '12', runs of spaces as one."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def long_text(cell: object) -> str:
    """A cell as text that may run over lines (a commentary): only the ends trimmed."""
    return "" if cell is None else str(cell).strip()


# What no cell may hold: C0 controls but tab, line feed and carriage return (single-line text
# turns those into spaces), DEL, C1 controls and lone surrogates. PostgreSQL refuses NUL in text
# and the rest would be stored unseen, to break exports and pages later.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character(cell: object) -> str | None:
    """The first character of the cell that may not be stored, as U+0000; None if none."""
    if not isinstance(cell, str):
        return None
    found = CONTROL_CHARACTERS.search(cell)
    return None if found is None else f"U+{ord(found.group()):04X}"


def shown(cell: object) -> str:
    """A cell as quoted back in a message: at most 40 characters."""
    written = str(cell).strip()
    return written if len(written) <= 40 else written[:39] + "…"


def number_text(written: str) -> str:
    """Typed digits without spaces and thousands separators. ValueError, with the reason, for a
    comma that is not a thousands separator."""
    compact = "".join(str(written).split())
    if "," in compact:
        if not _GROUPED.match(compact):
            raise ValueError(comma_reason(compact))
        compact = compact.replace(",", "")
    return compact


def comma_reason(compact: str) -> str:
    """Why a comma is refused: a decimal comma ("190,1", which must not become 1901) or
    separators out of the thousands positions ("1,2,3", which must not become 123)."""
    if compact.count(",") == 1 and "." not in compact:
        return (
            f"decimal commas are not accepted, write {shown(compact.replace(',', '.'))} with a "
            "point (commas only go between thousands, like 1,234.5)"
        )
    return (
        "misplaced thousands separators are not accepted (commas only go between "
        "thousands, like 1,234,567.5)"
    )


def money_text(written: str) -> str:
    """Typed money without the £ sign (before the digits, after any sign), spaces and thousands
    separators. ValueError for a comma that is not a thousands separator."""
    return number_text(_POUND_AFTER_SIGN.sub(r"\1", "".join(str(written).split())))


def _not_a_date(cell: object, what: str) -> None:
    if isinstance(cell, bool | dt.date | dt.datetime | dt.time):
        raise ValueError(f"“{shown(cell)}” is not {what}")


def parse_number(
    cell: object, *, places: int | None = None, below: Decimal | None = None
) -> Decimal:
    """A cell as a Decimal: '1,234.5' -> Decimal('1234.5'). Never goes through float text."""
    if blank(cell):
        raise MissingCell("no number")
    _not_a_date(cell, "a number")
    if isinstance(cell, Decimal | int):
        value = Decimal(cell)
    elif isinstance(cell, float):
        value = Decimal(repr(cell))  # the shortest decimal that reads back as this float
    else:
        try:
            value = Decimal(number_text(cell))
        except InvalidOperation:
            raise ValueError(f"“{shown(cell)}” is not a number") from None
        except ValueError as error:
            raise ValueError(f"“{shown(cell)}” is not a number: {error}") from None
    if not value.is_finite():
        raise ValueError(f"“{shown(cell)}” is not a number")
    if below is not None and value.copy_abs() >= below:
        raise ValueError(f"“{shown(cell)}” is too large")
    if places is not None and decimal_places(value) > places:
        raise ValueError(f"“{shown(cell)}” has more than {places} decimal places")
    return value


def decimal_places(value: Decimal) -> int:
    """Digits after the point, trailing zeros not counted: 1.2500 -> 2, 1E+3 -> 0.

    Worked out from the digits, never through the decimal context (normalize, abs, quantize),
    which overflows or rounds on a cell like 1e9999999.
    """
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite value
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if trailing == len(digits):  # zero
        return 0
    return max(0, -(exponent + trailing))


def parse_money(cell: object, *, below: Decimal = MONEY_BELOW) -> Decimal:
    """A typed or imported amount in pounds: '£1,234.50' -> Decimal('1234.50').

    Never negative, at most two digits after the point. Raises ValueError with a message fit
    for the user (MissingCell "no amount" for an empty cell).
    """
    if isinstance(cell, Decimal):
        amount = cell
    elif isinstance(cell, int) and not isinstance(cell, bool):
        amount = Decimal(cell)
    elif isinstance(cell, float):
        # A spreadsheet's number: exact to the penny, or it is not money.
        amount = Decimal(repr(cell))
        if amount.is_finite() and amount.copy_abs() < below:
            rounded = amount.quantize(PENNY)
            if abs(amount - rounded) < Decimal("0.000001"):
                amount = rounded
    else:
        _not_a_date(cell, "an amount in pounds")
        try:
            written = money_text(cell or "")
        except ValueError as error:
            raise ValueError(f"“{shown(cell)}” is not an amount in pounds: {error}") from None
        if not written:
            raise MissingCell("no amount")
        try:
            amount = Decimal(written)
        except InvalidOperation:
            raise ValueError(f"“{shown(cell)}” is not an amount in pounds") from None
    if not amount.is_finite():
        raise ValueError(f"“{shown(cell)}” is not an amount in pounds")
    if amount < 0:
        raise ValueError(f"{shown(cell)} is negative: amounts must be £0 or more")
    if amount >= below:
        raise ValueError(f"{shown(cell)} is too large")
    if decimal_places(amount) > 2:
        raise ValueError(f"{shown(cell)} has more than 2 digits after the point (pounds and pence)")
    return amount.quantize(PENNY)


def parse_month(cell: object) -> dt.date:
    """A cell as the first day of its month: a date cell, 2006-09 (planning.fy's form),
    2006-09-01, 01/09/2006, Sep 2006, September 2006 or 09/2006."""
    if isinstance(cell, dt.datetime):
        return cell.date().replace(day=1)
    if isinstance(cell, dt.date):
        return cell.replace(day=1)
    if blank(cell):
        raise MissingCell("no month")
    written = text(cell)
    try:
        return fy.parse_month(written)
    except ValueError:
        pass
    for pattern in MONTH_FORMATS:
        try:
            return dt.datetime.strptime(written, pattern).date().replace(day=1)  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"“{written}” is not a month: write it like 2006-09")


# --- cells of a whole workbook (the plan workbook): text, dates, whole numbers, yes/no ----------

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y")


def _date_shown(cell: dt.date) -> str:
    return cell.date().isoformat() if isinstance(cell, dt.datetime) else cell.isoformat()


def parse_text(cell: object, *, multiline: bool = False) -> str:
    """A cell as text. A date (or a yes/no) is refused: a spreadsheet turned the words into one,
    so what was typed is lost ("1/2" became 1 February)."""
    if isinstance(cell, dt.date | dt.datetime | dt.time):
        raise ValueError(
            f"holds a date ({_date_shown(cell) if isinstance(cell, dt.date) else cell}) where "
            "text belongs: format the cell as text and type it again"
        )
    if isinstance(cell, bool):
        raise ValueError("holds TRUE or FALSE where text belongs: format the cell as text")
    return long_text(cell) if multiline else text(cell)


def parse_date(cell: object) -> dt.date:
    """A date cell, or a date written 2006-09-30, 30/09/2006, 30 Sep 2006 or 30 September 2006."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if blank(cell):
        raise MissingCell("no date")
    if isinstance(cell, bool | int | float):
        raise ValueError(f"“{shown(cell)}” is not a date: write it like 2006-09-30")
    written = text(cell)
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(written, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"“{shown(written)}” is not a date: write it like 2006-09-30")


def parse_whole(cell: object, *, low: int = 0, high: int = 2**31 - 1) -> int:
    """A whole number from low to high: 3, 3.0 or "3"."""
    value = parse_number(cell)
    if value != value.to_integral_value():
        raise ValueError(f"“{shown(cell)}” is not a whole number")
    if not low <= value <= high:
        raise ValueError(f"“{shown(cell)}” is not between {low:,} and {high:,}")
    return int(value)


def parse_financial_year(cell: object) -> int:
    """A financial year, 2006/07 (or its start year, 2006): its start year."""
    if blank(cell):
        raise MissingCell("no financial year")
    _not_a_date(cell, "a financial year")
    if isinstance(cell, int | float) and float(cell).is_integer() and 1990 <= cell <= 2100:
        return int(cell)
    try:
        return fy.parse_fy(text(cell))
    except ValueError:
        raise ValueError(
            f"“{shown(cell)}” is not a financial year: write it like 2006/07"
        ) from None


YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})


def parse_yes_no(cell: object) -> bool:
    """Yes or No (TRUE or FALSE from a spreadsheet): a blank cell is No."""
    if isinstance(cell, bool):
        return cell
    if blank(cell):
        return False
    word = text(cell).casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(f"“{shown(cell)}” is not Yes or No")
