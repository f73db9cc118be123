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


def shown(cell: object) -> str:
    """A cell as quoted back in a message: at most 40 characters."""
    written = str(cell).strip()
    return written if len(written) <= 40 else written[:39] + "…"


def number_text(written: str) -> str:
    """Typed digits without spaces and thousands separators. ValueError for a comma that is not
    a thousands separator."""
    compact = "".join(str(written).split())
    if "," in compact:
        if not _GROUPED.match(compact):
            raise ValueError("commas")
        compact = compact.replace(",", "")
    return compact


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
        except ValueError:
            raise ValueError(
                f"“{shown(cell)}” is not a number: use commas only between thousands, like 1,234.5"
            ) from None
        except InvalidOperation:
            raise ValueError(f"“{shown(cell)}” is not a number") from None
    if not value.is_finite():
        raise ValueError(f"“{shown(cell)}” is not a number")
    exponent = value.normalize().as_tuple().exponent
    if places is not None and isinstance(exponent, int) and -exponent > places:
        raise ValueError(f"“{shown(cell)}” has more than {places} decimal places")
    if below is not None and abs(value) >= below:
        raise ValueError(f"“{shown(cell)}” is too large")
    return value


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
        rounded = amount.quantize(PENNY)
        if abs(amount - rounded) < Decimal("0.000001"):
            amount = rounded
    else:
        _not_a_date(cell, "an amount in pounds")
        try:
            written = money_text(cell or "")
        except ValueError:
            raise ValueError(
                f"“{cell}” is not an amount in pounds: use commas only between thousands"
            ) from None
        if not written:
            raise MissingCell("no amount")
        try:
            amount = Decimal(written)
        except InvalidOperation:
            raise ValueError(f"“{cell}” is not an amount in pounds") from None
    if not amount.is_finite():
        raise ValueError(f"“{cell}” is not an amount in pounds")
    if amount < 0:
        raise ValueError(f"{cell} is negative: amounts must be £0 or more")
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(PENNY):
        raise ValueError(f"{cell} has more than 2 digits after the point (pounds and pence)")
    if amount >= below:
        raise ValueError(f"{cell} is too large")
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
