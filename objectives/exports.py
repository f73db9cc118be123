"""CSV and XLSX exports of the objectives table, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

from objectives.models import Objective
from planning.rag import RAG
from planning.spreadsheets import neutralise

COLUMNS = [
    ("Plan", lambda o: str(o.plan)),
    ("Reference", lambda o: o.reference),
    ("Objective or action", lambda o: o.text),
    ("Department / programme / goal", lambda o: o.grouping),
    ("Strategic priority", lambda o: str(o.strategic_priority or "")),
    ("SRO", lambda o: o.sro_text),
    ("Lead", lambda o: o.lead_text),
    ("Due (as written)", lambda o: o.due_text),
    ("Due date", lambda o: o.due_date.isoformat() if o.due_date else ""),
    ("Measure / evidence", lambda o: o.measure),
    ("KPIs", lambda o: ", ".join(k.code for k in o.kpis.all())),
    ("New", lambda o: "Yes" if o.is_new else ""),
    ("Status", lambda o: o.get_status_display()),
    ("RAG", lambda o: RAG.words(o.rag)),
    ("% complete", lambda o: o.percent_complete),
    ("Latest narrative", lambda o: o.latest_update.narrative if o.latest_update else ""),
]


def rows(objectives: Iterable[Objective]):
    yield [title for title, _ in COLUMNS]
    for objective in objectives:
        yield [neutralise(get(objective)) for _, get in COLUMNS]


def to_csv(objectives: Iterable[Objective]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows(objectives))
    return buffer.getvalue()


def to_xlsx(objectives: Iterable[Objective]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Objectives and actions")
    for row in rows(objectives):
        # openpyxl turns any string starting with "=" into a formula; neutralise() has already
        # prefixed those, and we store every cell as a plain value.
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
