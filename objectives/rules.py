"""The rules a progress update must keep. Plain Python: no database, forms or requests.

`check_update(...)` returns {field: [messages]}; empty means the update may be saved.
"""

from __future__ import annotations

import datetime as dt

from objectives.models import ProgressStatus
from planning.fy import Quarter
from planning.rag import RAG


def _status(value: str) -> ProgressStatus | None:
    try:
        return ProgressStatus(value)
    except ValueError:
        return None


def check_update(
    *,
    rag: str,
    status: str,
    percent_complete: int | None,
    narrative: str,
    financial_year: int,
    quarter: int,
    today: dt.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if percent_complete is None or not 0 <= percent_complete <= 100:
        add("percent_complete", "Enter a percentage from 0 to 100.")
    if rag in (RAG.RED, RAG.AMBER) and not narrative.strip():
        add("narrative", "Explain why the item is Red or Amber: a narrative is needed.")
    if status == "completed" and rag != RAG.BLUE:
        add("rag", "A completed item is Blue.")
    member = _status(status)
    complete = member is not None and member.is_complete
    if rag == RAG.BLUE:
        if not complete:
            add("status", "Blue means complete: choose Completed or Completed and ongoing.")
        if percent_complete != 100:
            add("percent_complete", "Blue means complete: enter 100%.")
    # Status and percentage tell the same story: a reader trusts either one alone.
    if percent_complete is not None and 0 <= percent_complete <= 100:
        if complete and percent_complete != 100 and rag != RAG.BLUE:
            add("percent_complete", f"{member.label} means 100% complete: enter 100%.")
        if member is ProgressStatus.NOT_STARTED and percent_complete != 0:
            add(
                "percent_complete",
                "Not started means 0% complete: enter 0%, or choose In progress.",
            )
    try:
        period = Quarter(financial_year, quarter)
    except ValueError:
        add("quarter", "Choose a quarter from 1 to 4.")
    else:
        if period.start > today:
            add("quarter", f"{period} has not started yet: you cannot report on it.")
    return errors
