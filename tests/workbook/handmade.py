"""A plan workbook written by hand with openpyxl, as a person or another system would write it
(not by workbook.export): every record kind, a row or more each."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

SHEETS: dict[str, list[list]] = {
    "Plan": [
        [
            "Title",
            "Kind",
            "First financial year",
            "Last financial year",
            "Version",
            "Approved by",
            "Date approved",
            "Author",
            "Aim",
            "Budget Amber at %",
            "Budget Red at %",
        ],
        [
            "Estates Plan",
            "Business plan",
            "2024/25",
            "2025/26",
            "Version 1.0",
            "Trust Board",
            dt.date(2024, 3, 28),
            "Corporate business manager",
            "Safe, efficient buildings.",
            3,
            6,
        ],
    ],
    "Sections": [
        ["Kind", "Title", "Body"],
        ["Introduction", "Introduction", "Why this plan.\n\nAnd how."],
        ["Conclusion", "Conclusion", "In short."],
    ],
    "Vision": [["Text"], ["Buildings fit for care"]],
    "Values": [["Text"], ["Respect"], ["Openness"]],
    "Priorities": [["Reference", "Title"], ["SP1", "Estates"], ["SP2", "People"]],
    "Short-term objectives": [["Number", "Text"], [1, "Cut energy use"]],
    "Departments": [
        ["Name", "Kind", "Part of"],
        ["Estates and Facilities", "Directorate", None],
        ["Estates", "Department", "Estates and Facilities"],
    ],
    "Roles": [["Abbreviation", "Title"], ["DoE", "Director of Estates"], [None, "Energy Manager"]],
    "People": [
        ["Name", "Job title", "Email", "Roles"],
        ["Pat Jones", "Director of Estates", "pat@example.org", "DoE"],
    ],
    "Programmes": [
        ["Number", "Title", "Aim", "Lead (as written)", "Lead role"],
        [1, "Sustainability", "Net zero", "DoE", "DoE"],
    ],
    "Goals": [["Number", "Programme", "Section", "Title"], [1, 1, "Trust", "Lower carbon"]],
    "KPIs": [
        ["Code", "Name", "Perspective", "Unit", "Polarity", "Frequency", "Owner role"],
        [
            "P1",
            "Energy use",
            "Internal process",
            "kWh",
            "Lower is better",
            "Quarterly",
            "Energy Manager",
        ],
    ],
    "KPI targets": [
        ["KPI", "Effective from", "Target", "Tolerance", "Reason"],
        ["P1", dt.date(2024, 4, 1), 1000, 50, "Baseline less 10%"],
    ],
    "Measurements": [
        ["KPI", "Period start", "Value", "Commentary"],
        ["P1", dt.date(2024, 4, 1), 1100.5, "Cold spring"],
        ["P1", "2024-07-01", "1,020", None],
    ],
    "Objectives": [
        [
            "Reference",
            "Kind",
            "Department",
            "Programme",
            "Goal",
            "Text",
            "Strategic priority",
            "Short-term objective",
            "SRO roles",
            "Lead roles",
            "Due date",
            "KPIs",
            "New",
        ],
        [
            "EST-1",
            "Operational objective",
            "Estates",
            None,
            None,
            "Replace boilers",
            "SP1",
            1,
            "DoE",
            "Energy Manager",
            dt.date(2025, 3, 31),
            "P1",
            "Yes",
        ],
        [
            "1.1",
            "Action",
            None,
            1,
            1,
            "LED lighting",
            None,
            None,
            None,
            "DoE; Energy Manager",
            "2024-12-31",
            None,
            "No",
        ],
    ],
    "Milestones": [
        ["Objective", "Text", "Due date", "Completed on"],
        ["EST-1", "Survey done", dt.date(2024, 6, 30), dt.date(2024, 6, 20)],
    ],
    "Progress history": [
        [
            "Objective",
            "Financial year",
            "Quarter",
            "Reported at",
            "Status",
            "RAG",
            "% complete",
            "Narrative",
        ],
        [
            "EST-1",
            "2024/25",
            1,
            "2024-07-05 10:00:00+00:00",
            "In progress",
            "Green",
            25,
            "Survey done",
        ],
        [
            "EST-1",
            "2024/25",
            2,
            "2024-10-04 10:00:00+00:00",
            "In progress",
            "Amber",
            40,
            "Supplier late",
        ],
        ["1.1", "2024/25", 2, None, "Completed", "Blue (complete)", 100, "All fitted"],
    ],
    "SWOT": [["Quadrant", "Text"], ["Strengths", "Skilled staff"], ["Threats", "Energy prices"]],
    "PESTEL": [["Category", "Text"], ["Economic", "Inflation"]],
    "Service lines": [["Name"], ["Estates services"]],
    "Income": [
        ["Financial year", "Funder", "Funder organisation", "Service line", "Amount"],
        ["2024/25", "Others", None, "Estates services", "£12,500.00"],
    ],
    "Expenditure": [
        ["Financial year", "Manager", "Description", "Amount"],
        ["2024/25", "Head of Estates", "Maintenance", 9000],
    ],
    "Monthly actuals": [
        [
            "Line",
            "Financial year",
            "Funder or manager",
            "Service line or description",
            "Month",
            "Amount",
        ],
        ["Income", "2024/25", "Others", "Estates services", "2024-04", 1000],
        ["Expenditure", "2024/25", "Head of Estates", "Maintenance", "2024-05", 800],
    ],
    "Printed totals": [
        ["Financial year", "Scope", "Label", "Amount"],
        ["2024/25", "Income grand total", None, 12500],
    ],
    "Savings schemes": [
        ["Title", "Owner role", "Effect on staff (FTE)", "Status", "RAG", "Objectives"],
        ["Energy savings", "DoE", -1.5, "In delivery", "Green", "EST-1; 1.1"],
    ],
    "Savings targets": [
        ["Scheme", "Financial year", "Target", "Delivered to date"],
        ["Energy savings", "2024/25", 20000, 5000],
    ],
    # The risk register: the plan's risks, and the organisation's bands and categories.
    "Risk bands": [["Low runs up to", "Moderate runs up to", "High runs up to"], [4, 8, 14]],
    "Risk categories": [
        ["Name", "Appetite", "Appetite statement"],
        ["Financial", 12, "High, while savings land."],
        ["Estates", None, None],
    ],
    "Risks": [
        [
            "Reference",
            "Title",
            "Event",
            "Category",
            "Owner",
            "Owner role",
            "Programme",
            "Threatens priorities",
            "Threatens short-term objectives",
            "Threatens programmes",
            "Inherent likelihood",
            "Inherent consequence",
            "Current likelihood",
            "Current consequence",
            "Target likelihood",
            "Target consequence",
            "Mitigating actions",
            "Principal",
            "Status",
            "Next review",
        ],
        [
            "EST R1",
            "Boiler failure",
            "a boiler fails in winter",
            "Estates",
            "Pat Jones",
            "DoE",
            1,
            "SP1; SP2",
            1,
            1,
            4,
            5,
            3,
            4,
            2,
            3,
            "EST-1; 1.1",
            "Yes",
            "Escalated",
            dt.date(2024, 9, 30),
        ],
        # Unscored, no reference: other sheets name it by its title.
        ["", "Energy prices", None, "Financial", None, None, None, None, None, None]
        + [None] * 6
        + [None, "No", None, None],
    ],
    "Risk controls": [
        ["Risk", "Kind", "Description", "Line of defence"],
        ["EST R1", "Control", "Planned maintenance", "First line: management"],
        ["EST R1", "Assurance", "Insurer's inspection", 3],
        ["Energy prices", "Control", "Fixed-price contract", None],
    ],
    "Risk reviews": [
        ["Risk", "Reviewed on", "Likelihood", "Consequence", "Note"],
        ["EST R1", dt.date(2024, 4, 30), 4, 5, "First review"],
        ["EST R1", "2024-07-31", 3, 4, "New boiler ordered"],
    ],
    # Frameworks naming the plan, and its gap analysis.
    "Frameworks": [
        ["Name", "Description", "Managers may assess"],
        ["Estates maturity", "How mature estates management is.", "Yes"],
    ],
    "Framework levels": [
        ["Framework", "Level", "Name"],
        ["Estates maturity", 1, "Basic"],
        ["Estates maturity", 2, "Managed"],
        ["Estates maturity", 3, "Optimised"],
    ],
    "Competencies": [
        ["Framework", "Number", "Name", "Programmes", "Objectives"],
        ["Estates maturity", 1, "Maintenance planning", 1, "EST-1"],
        ["Estates maturity", 2, "Energy management", None, "1.1"],
    ],
    "Competency descriptors": [
        ["Framework", "Competency", "Level", "Descriptor"],
        ["Estates maturity", 1, 1, "Fix on failure"],
        ["Estates maturity", 1, 3, "Predictive maintenance"],
    ],
    "Assessments": [
        ["Framework", "Assessed on", "Kind", "Assessor", "Evidence"],
        ["Estates maturity", dt.date(2024, 5, 1), "Self-assessment", "Estates team", "Survey"],
        ["Estates maturity", "2024-11-01", "External", "Auditor", None],
    ],
    "Assessment scores": [
        ["Framework", "Assessed on", "Kind", "Competency", "Level"],
        ["Estates maturity", dt.date(2024, 5, 1), "Self-assessment", 1, 1],
        ["Estates maturity", dt.date(2024, 5, 1), "Self-assessment", 2, 2],
        ["Estates maturity", "2024-11-01", "external", 1, 2],
    ],
    "Competency targets": [
        ["Framework", "Competency", "By", "Target level"],
        ["Estates maturity", 1, dt.date(2025, 3, 31), 3],
    ],
    "Gap analyses": [["Title", "Description"], ["Estates 7S", "Where estates stand"]],
    "Gap dimensions": [
        ["Gap analysis", "Dimension", "Where we are", "Where we want to be", "Actions"],
        ["Estates 7S", "Strategy", "No estates strategy", "A ten-year strategy", "EST-1"],
        ["Estates 7S", "Systems", None, None, None],
    ],
    # A delivery plan's tree and what hangs off it (issue 15).
    "Delivery items": [
        [
            "Reference",
            "Level",
            "Level as the plan calls it",
            "Part of",
            "Title",
            "Description",
            "SRO (as written)",
            "SRO",
            "Lead roles",
            "Lead people",
            "Timescale (as written)",
            "Start date",
            "Due date",
            "Risks",
        ],
        [
            "EP",
            "Programme",
            None,
            None,
            "Estates programme",
            "All estates work",
            "Director of Estates",
            "Pat Jones",
            "DoE",
            None,
            None,
            None,
            None,
            "EST R1",
        ],
        [
            "EP1",
            "Workstream",
            "Stream",
            "EP",
            "Heating",
            None,
            None,
            None,
            "Energy Manager",
            "Pat Jones",
            "by March 2025",
            None,
            None,
            None,
        ],
        [
            "EP1.1",
            "Intervention or project",
            None,
            "EP1",
            "New boilers",
            None,
            None,
            None,
            None,
            None,
            None,
            dt.date(2024, 4, 1),
            "2024-09-30",
            None,
        ],
        ["EP1.1.1", "Milestone", None, "EP1.1", "Boilers ordered"]
        + [None] * 7
        + [
            dt.date(2024, 6, 30),
            None,
        ],
        ["EP2", "workstream", None, "EP", "Lighting"] + [None] * 9,
    ],
    "Delivery updates": [
        ["Item", "As at", "Reported at", "Status", "RAG", "Progress made", "Next steps"],
        [
            "EP1",
            dt.date(2024, 7, 1),
            "2024-07-01 09:00:00+00:00",
            "In progress",
            "Green",
            "Survey done",
            "Order boilers",
        ],
        ["EP1", dt.date(2024, 10, 1), None, "In progress", "Amber", "Supplier late", None],
        ["EP1.1.1", "2024-06-30", None, "Completed", "Blue (complete)", "Ordered", None],
    ],
    "Year figures": [
        ["Item", "Measure", "Financial year", "Low", "High", "Confidence", "Recurring", "Note"],
        ["EP1", "Savings: gross (£)", "2024/25", 10000, 15000, "Estimate", "No", "Energy"],
        ["EP1", "Savings: gross (£)", "2024/25", 12000, None, "Delivered", "No", None],
        ["EP", "Change in staff (FTE)", None, -2, None, "Validated", "Yes", None],
    ],
    "Dependencies": [
        [
            "Item",
            "Kind",
            "On plan",
            "On item",
            "External programme",
            "Owner (as written)",
            "Owner role",
            "Status",
            "Note",
        ],
        ["EP1", "Needs", None, "EP2", None, "Estates team", "DoE", "At risk", "Lighting first"],
        ["EP", "Related to", None, None, "Net zero programme", None, None, None, None],
    ],
    "Lineage": [
        ["Item", "Kind", "Other plan", "Other item", "Reason", "Date", "Date (as written)"],
        [
            "EP2",
            "Merged into",
            None,
            "EP1",
            "One heating and lighting stream",
            dt.date(2024, 9, 1),
            "September 2024",
        ],
    ],
    "Governance bodies": [
        [
            "Name",
            "Organisation",
            "Kind",
            "Part of",
            "Chair (as written)",
            "Chair role",
            "Members (as written)",
            "Member roles",
            "Meets",
            "Oversees the plan",
            "Oversees items",
        ],
        ["Trust Board", None, "Board", None, "Chair", None, None, None, "Monthly", "Yes", None],
        [
            "Estates Programme Board",
            None,
            "Programme board",
            "Trust Board",
            "Director of Estates",
            "DoE",
            "DoE and Energy Manager",
            "DoE; Energy Manager",
            "Fortnightly",
            "No",
            "EP; EP1",
        ],
    ],
    "Decisions": [
        ["Body", "Date", "Decision", "Recommendation", "Items"],
        [
            "Estates Programme Board",
            dt.date(2024, 5, 1),
            "Approve the boiler business case",
            "Approve",
            "EP1; EP1.1",
        ],
    ],
}


def workbook_bytes(sheets: dict[str, list[list]] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in (SHEETS if sheets is None else sheets).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def changed(sheet: str, row: int, column: str, value) -> bytes:
    """The hand-made workbook with one cell changed (row as in the spreadsheet, 1 = headings)."""
    sheets = {name: [list(r) for r in rows] for name, rows in SHEETS.items()}
    headings = sheets[sheet][0]
    if column not in headings:
        headings.append(column)
        for r in sheets[sheet][1:]:
            r.append(None)
    index = headings.index(column)
    while len(sheets[sheet]) < row:
        sheets[sheet].append([None] * len(headings))
    sheets[sheet][row - 1][index] = value
    return workbook_bytes(sheets)
