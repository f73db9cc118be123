"""The risk register's sheets of the plan workbook (assurance): score bands, categories with
their appetite, the plan's risks, their controls and assurances, and their reviews.

A risk is its organisation's, optionally a plan's (docs/decisions/risk-register.md). The
workbook of a plan carries the risks OF THAT PLAN (`Risk.plan`); the organisation's own risks
(no plan) are the organisation's register, not the plan's, and stay out of it, as partners and
users do (docs/decisions/workbook.md). The bands and the categories are the organisation's too:
they are written so that a plan's risks can be read and re-imported, and on import an
organisation's own bands and categories (by name) are used as they are; only what it lacks is
created.
"""

from __future__ import annotations

from collections import defaultdict

from assurance import scoring
from assurance.models import (
    Control,
    ControlKind,
    LineOfDefence,
    Risk,
    RiskCategory,
    RiskReview,
    RiskSettings,
    RiskStatus,
)
from workbook.kinds import _create, _key, _link, role_key
from workbook.sheets import YES_NO, Col, SheetSpec, Type, choices_of, register

T = Type
LEVEL = {"type": T.WHOLE, "low": 1, "high": 5}
PAIRS = ("inherent", "current", "target")


# --- bands ------------------------------------------------------------------------------------


def _bands_export(plan):
    settings = RiskSettings.objects.filter(organisation_id=plan.organisation_id).first()
    if settings is not None:
        yield {
            "low_max": settings.low_max,
            "moderate_max": settings.moderate_max,
            "high_max": settings.high_max,
        }


def _bands_check(loader, row) -> None:
    if len(loader.rows.get("Risk bands", [])) > 1 and row is loader.rows["Risk bands"][1]:
        loader.problem(row, "low_max", "the sheet holds one row of bands at most")
    values = (row["low_max"], row["moderate_max"], row["high_max"])
    if None in values:
        return
    problems = scoring.Bands(*values).problems()
    if problems:
        loader.problem(row, "high_max", " ".join(problems))


def _bands_write(loader, rows) -> None:
    """The organisation's own bands, if it has them, are left as they are."""
    if not rows or RiskSettings.objects.filter(organisation=loader.organisation).exists():
        return
    r = rows[0]
    _create(
        [
            RiskSettings(
                organisation=loader.organisation,
                low_max=r["low_max"],
                moderate_max=r["moderate_max"],
                high_max=r["high_max"],
            )
        ],
        RiskSettings,
    )


register(
    SheetSpec(
        name="Risk bands",
        shared=True,
        position=300,
        counted="risk score bands",
        about="The organisation's risk score bands, as three upper bounds: at most one row "
        "(none: the default bands 1–3, 4–6, 8–12, 15–25). An organisation that has its own "
        "bands keeps them.",
        columns=(
            Col(
                "low_max", "Low runs up to", "The highest Low score.", T.WHOLE, True, low=1, high=24
            ),
            Col(
                "moderate_max",
                "Moderate runs up to",
                "The highest Moderate score.",
                T.WHOLE,
                True,
                low=1,
                high=24,
            ),
            Col(
                "high_max",
                "High runs up to",
                "The highest High score: above it is Extreme.",
                T.WHOLE,
                True,
                low=1,
                high=24,
            ),
        ),
        export=_bands_export,
        check=_bands_check,
        write=_bands_write,
    )
)


# --- categories -------------------------------------------------------------------------------


def _categories_write(loader, rows) -> None:
    """Matched by name to the organisation's categories (left as they are); others created."""
    existing = {c.name: c for c in RiskCategory.objects.filter(organisation=loader.organisation)}
    created = [
        RiskCategory(
            organisation=loader.organisation,
            name=r["name"],
            appetite=r["appetite"],
            appetite_statement=r["appetite_statement"] or "",
        )
        for r in rows
        if r["name"] not in existing
    ]
    _create(created, RiskCategory)
    existing |= {c.name: c for c in created}
    loader.made["Risk categories"] = {r.key: existing[r["name"]] for r in rows}


register(
    SheetSpec(
        name="Risk categories",
        shared=True,
        position=310,
        counted="risk categories",
        about="Categories of risk and the board's appetite for each. A category your "
        "organisation has already (by name) is that category, left as it is; the others are "
        "created.",
        key=_key("name"),
        key_columns=("name",),
        columns=(
            Col("name", "Name", "The category, e.g. Financial.", required=True, max_length=100),
            Col(
                "appetite",
                "Appetite",
                "The highest current score the board tolerates in this category.",
                T.WHOLE,
                low=1,
                high=25,
            ),
            Col("appetite_statement", "Appetite statement", "The board's words.", T.LONG_TEXT),
        ),
        export=lambda plan: (
            {"name": c.name, "appetite": c.appetite, "appetite_statement": c.appetite_statement}
            for c in RiskCategory.objects.filter(organisation_id=plan.organisation_id).order_by(
                "name"
            )
        ),
        write=_categories_write,
    )
)


# --- risks ------------------------------------------------------------------------------------


def risk_key(risk: Risk) -> str:
    """How other sheets name a risk: its reference, or its title when it has none."""
    return risk.reference or risk.title


def _links(plan, through, order: tuple, name: str, **only) -> dict[int, list[str]]:
    """{risk id: [the linked rows' references]} for one many-to-many field of the plan's
    risks, in the linked rows' order, as plain values (no model per link)."""
    linked: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(risk__plan=plan, **only).order_by(*order)
    for risk_id, value in rows.values_list("risk_id", name):
        linked[risk_id].append(str(value))
    return linked


def _risk_rows(plan):
    risks = (
        Risk.objects.filter(plan=plan)
        .select_related("category", "owner_person", "owner_role", "programme")
        .order_by("reference", "pk")
    )
    number = ("strategicpriority__number", "strategicobjective__number", "programme__number")
    links = {
        "priorities": _links(plan, Risk.priorities.through, (number[0],), number[0]),
        "strategic_objectives": _links(
            plan, Risk.strategic_objectives.through, (number[1],), number[1]
        ),
        "programmes": _links(plan, Risk.programmes.through, (number[2],), number[2]),
        # Only this plan's objectives and actions, and only those with a reference, can be
        # named in its workbook (docs/decisions/workbook.md).
        "mitigating_actions": _links(
            plan,
            Risk.mitigating_actions.through,
            ("objective__order", "objective__pk"),
            "objective__reference",
            objective__plan=plan,
            objective__reference__gt="",
        ),
    }
    for r in risks:
        yield {
            "reference": r.reference,
            "title": r.title,
            "cause": r.cause,
            "event": r.event,
            "effect": r.effect,
            "category": r.category.name if r.category else None,
            "owner_person": r.owner_person.name if r.owner_person else None,
            "owner_role": role_key(r.owner_role) if r.owner_role else None,
            "programme": str(r.programme.number) if r.programme else None,
            "priorities": tuple(f"SP{n}" for n in links["priorities"].get(r.pk, ())),
            "strategic_objectives": tuple(links["strategic_objectives"].get(r.pk, ())),
            "programmes": tuple(links["programmes"].get(r.pk, ())),
            **{
                f"{p}_{part}": getattr(r, f"{p}_{part}")
                for p in PAIRS
                for part in ("likelihood", "consequence")
            },
            "gaps_in_control": r.gaps_in_control,
            "gaps_in_assurance": r.gaps_in_assurance,
            "mitigating_actions": tuple(links["mitigating_actions"].get(r.pk, ())),
            "is_principal": r.is_principal,
            "status": r.status,
            "review_date": r.review_date,
            "source_note": r.source_note,
            "synthetic": r.synthetic,
        }


def _existing_references(loader) -> set[str]:
    """The references the organisation's risks use already (read once per import)."""
    if "risk references" not in loader.cache:
        risks = Risk.objects.filter(organisation=loader.organisation).exclude(reference="")
        if loader.target is not None:  # onto an existing plan: its risks are the rows' matches
            risks = risks.exclude(plan=loader.target)
        loader.cache["risk references"] = set(risks.values_list("reference", flat=True))
    return loader.cache["risk references"]


def _unread(loader, row, *columns: str) -> bool:
    """Could one of these cells of the row not be read (its problem is listed already)?"""
    titles = {row.sheet.column(c).title for c in columns}
    return any(
        p.sheet == row.sheet.name and p.row == row.number and p.column in titles
        for p in loader.problems
    )


def _pair_check(loader, row, what: str, likelihood: str, consequence: str) -> None:
    if _unread(loader, row, likelihood, consequence):
        return
    problems = scoring.pair_problems(what, row[likelihood], row[consequence])
    for part, message in problems.items():
        loader.problem(row, consequence if part == "consequence" else likelihood, message)


def _risk_check(loader, row) -> None:
    for prefix in PAIRS:
        _pair_check(loader, row, prefix, f"{prefix}_likelihood", f"{prefix}_consequence")
    problem = scoring.score_problems(
        inherent=(row["inherent_likelihood"], row["inherent_consequence"]),
        target=(row["target_likelihood"], row["target_consequence"]),
    )
    if problem:
        loader.problem(row, "target_likelihood", problem)
    if row["reference"] and row["reference"] in _existing_references(loader):
        loader.problem(
            row,
            "reference",
            f"your organisation already has a risk “{row['reference']}”: each risk of an "
            "organisation needs a reference of its own",
        )


SCORES = tuple(f"{p}_{part}" for p in PAIRS for part in ("likelihood", "consequence"))
TEXTS = ("reference", "cause", "event", "effect", "gaps_in_control", "gaps_in_assurance")


def _risks_write(loader, rows) -> None:
    made = _create(
        [
            Risk(
                organisation=loader.organisation,
                plan=loader.plan,
                programme=loader.record("Programmes", r["programme"]),
                title=r["title"],
                category=loader.record("Risk categories", r["category"]),
                owner_person=loader.record("People", r["owner_person"]),
                owner_role=loader.record("Roles", r["owner_role"]),
                is_principal=r["is_principal"],
                status=r["status"] or RiskStatus.OPEN,
                review_date=r["review_date"],
                source_note=r["source_note"] or "",
                synthetic=r["synthetic"],
                **{name: r[name] for name in SCORES},
                **{name: r[name] or "" for name in TEXTS},
            )
            for r in rows
        ],
        Risk,
    )
    loader.made["Risks"] = {r.key: risk for r, risk in zip(rows, made, strict=True)}
    for field, sheet, other in (
        ("priorities", "Priorities", "strategicpriority"),
        ("strategic_objectives", "Short-term objectives", "strategicobjective"),
        ("programmes", "Programmes", "programme"),
        ("mitigating_actions", "Objectives", "objective"),
    ):
        _link(
            getattr(Risk, field).through,
            "risk",
            other,
            made,
            (
                (risk, loader.made[sheet][ref])
                for r, risk in zip(rows, made, strict=True)
                for ref in r[field]
            ),
            loader.made[sheet].values(),
        )


def _score_columns():
    words = {"inherent": "before any control", "current": "now", "target": "aimed at"}
    for prefix in PAIRS:
        for part, choices in (
            ("likelihood", scoring.LIKELIHOOD),
            ("consequence", scoring.CONSEQUENCE),
        ):
            scale = ", ".join(f"{n} {w.lower()}" for n, w in choices.items())
            yield Col(
                f"{prefix}_{part}",
                f"{prefix.capitalize()} {part}",
                f"The {part} {words[prefix]}, 1 to 5 ({scale}); blank with its pair when the "
                "risk is not scored.",
                **LEVEL,
            )


register(
    SheetSpec(
        name="Risks",
        model=Risk,
        match=("reference",),
        fields=(
            "programme",
            "title",
            "category",
            "owner_person",
            "owner_role",
            "is_principal",
            "status",
            "review_date",
            "source_note",
            "synthetic",
            *SCORES,
            *(name for name in TEXTS if name != "reference"),
        ),
        position=320,
        counted="risks",
        about="The plan's risks (the organisation's risks that belong to no plan are not in a "
        "plan's workbook). Scores are likelihood × consequence on the 5×5 matrix; the target "
        "may not be above the inherent score. Other sheets name a risk by its reference, or by "
        "its title when it has none.",
        key=lambda v: v.get("reference") or v.get("title"),
        key_columns=("reference",),
        columns=(
            Col(
                "reference",
                "Reference",
                "E.g. BAF 3: unique in your organisation.",
                max_length=20,
            ),
            Col("title", "Title", "The risk in a few words.", required=True, max_length=200),
            Col("cause", "Cause", "Because of…", T.LONG_TEXT),
            Col("event", "Event", "…there is a risk that…", T.LONG_TEXT),
            Col("effect", "Effect", "…which would mean.", T.LONG_TEXT),
            Col(
                "category",
                "Category",
                "Its category (a row of Risk categories).",
                T.REF,
                ref="Risk categories",
            ),
            Col(
                "owner_person",
                "Owner",
                "The person who owns it (a row of People).",
                T.REF,
                ref="People",
            ),
            Col(
                "owner_role",
                "Owner role",
                "The role that owns it (a row of Roles).",
                T.REF,
                ref="Roles",
            ),
            Col(
                "programme",
                "Programme",
                "The programme it belongs to (a number on Programmes), if any.",
                T.REF,
                ref="Programmes",
            ),
            Col(
                "priorities",
                "Threatens priorities",
                "The strategic priorities it threatens, e.g. SP1; SP3.",
                T.REFS,
                ref="Priorities",
            ),
            Col(
                "strategic_objectives",
                "Threatens short-term objectives",
                "The short/medium-term objectives it threatens (their numbers).",
                T.REFS,
                ref="Short-term objectives",
            ),
            Col(
                "programmes",
                "Threatens programmes",
                "The programmes it threatens (their numbers).",
                T.REFS,
                ref="Programmes",
            ),
            *_score_columns(),
            Col(
                "gaps_in_control", "Gaps in control", "Where the controls fall short.", T.LONG_TEXT
            ),
            Col(
                "gaps_in_assurance",
                "Gaps in assurance",
                "Where the assurance falls short.",
                T.LONG_TEXT,
            ),
            Col(
                "mitigating_actions",
                "Mitigating actions",
                "The plan's objectives and actions that reduce it (references on Objectives).",
                T.REFS,
                ref="Objectives",
            ),
            Col(
                "is_principal",
                "Principal",
                "Yes for a principal risk: the Board Assurance Framework reports it.",
                T.YES_NO,
                choices=YES_NO,
            ),
            Col(
                "status",
                "Status",
                "Open, Escalated or Closed (blank: Open).",
                T.CHOICE,
                choices=choices_of(RiskStatus),
            ),
            Col("review_date", "Next review", "When it is next reviewed.", T.DATE),
            Col(
                "source_note",
                "Source note",
                "Where the risk was transcribed from, and what the source omits.",
                T.LONG_TEXT,
            ),
            Col(
                "synthetic",
                "Synthetic",
                "Yes for made-up demo data: the pages say so.",
                T.YES_NO,
                choices=YES_NO,
            ),
        ),
        export=_risk_rows,
        check=_risk_check,
        write=_risks_write,
    )
)


# --- controls and assurances --------------------------------------------------------------------

LINES = tuple((str(value), str(label)) for value, label in LineOfDefence.choices)


def _controls_write(loader, rows) -> None:
    counts: dict[str, int] = defaultdict(int)
    controls = []
    for r in rows:
        counts[r["risk"]] += 1
        controls.append(
            Control(
                risk=loader.made["Risks"][r["risk"]],
                kind=r["kind"],
                description=r["description"],
                line_of_defence=int(r["line_of_defence"]) if r["line_of_defence"] else None,
                order=counts[r["risk"]],
            )
        )
    _create(controls, Control)


register(
    SheetSpec(
        name="Risk controls",
        model=Control,
        match=("risk", "order"),
        fields=("kind", "description", "line_of_defence"),
        records=lambda plan: Control.objects.filter(risk__plan=plan),
        position=330,
        counted="controls and assurances",
        about="The controls on each risk and the sources of assurance that they work, in order "
        "under each risk.",
        columns=(
            Col("risk", "Risk", "The risk (a row of Risks).", T.REF, True, ref="Risks"),
            Col(
                "kind",
                "Kind",
                "A control, or an assurance.",
                T.CHOICE,
                True,
                choices_of(ControlKind),
            ),
            Col("description", "Description", "The control or assurance.", T.LONG_TEXT, True),
            Col(
                "line_of_defence",
                "Line of defence",
                "Which line of defence it is (blank when the source does not say).",
                T.CHOICE,
                choices=LINES,
            ),
        ),
        export=lambda plan: (
            {
                "risk": risk_key(c.risk),
                "kind": c.kind,
                "description": c.description,
                "line_of_defence": str(c.line_of_defence) if c.line_of_defence else None,
            }
            for c in Control.objects.filter(risk__plan=plan)
            .select_related("risk")
            .order_by("risk__reference", "risk__pk", "order", "pk")
        ),
        write=_controls_write,
    )
)


# --- reviews ----------------------------------------------------------------------------------


def _review_check(loader, row) -> None:
    _pair_check(loader, row, "review", "likelihood", "consequence")


register(
    SheetSpec(
        name="Risk reviews",
        model=RiskReview,
        match=("risk", "reviewed_on", "likelihood", "consequence"),
        history=True,
        records=lambda plan: RiskReview.objects.filter(risk__plan=plan),
        position=340,
        counted="risk reviews",
        about="Every review of every risk, oldest first: the score then (blank when not scored), "
        "when, and the note. Who reviewed is not carried (users are never created by an "
        "import).",
        columns=(
            Col("risk", "Risk", "The risk (a row of Risks).", T.REF, True, ref="Risks"),
            Col("reviewed_on", "Reviewed on", "The date of the review.", T.DATE, True),
            Col("likelihood", "Likelihood", "The likelihood then, 1 to 5.", **LEVEL),
            Col("consequence", "Consequence", "The consequence then, 1 to 5.", **LEVEL),
            Col("note", "Note", "What the review found.", T.LONG_TEXT),
            Col(
                "synthetic",
                "Synthetic",
                "Yes for made-up demo data.",
                T.YES_NO,
                choices=YES_NO,
            ),
        ),
        export=lambda plan: (
            {
                "risk": risk_key(v.risk),
                "reviewed_on": v.reviewed_on,
                "likelihood": v.likelihood,
                "consequence": v.consequence,
                "note": v.note,
                "synthetic": v.synthetic,
            }
            for v in RiskReview.objects.filter(risk__plan=plan)
            .select_related("risk")
            .order_by("risk__reference", "risk__pk", "reviewed_on", "pk")
        ),
        check=_review_check,
        # Reviews keep no history of their own: they are never edited.
        write=lambda loader, rows: _create(
            [
                RiskReview(
                    risk=loader.made["Risks"][r["risk"]],
                    reviewed_on=r["reviewed_on"],
                    likelihood=r["likelihood"],
                    consequence=r["consequence"],
                    note=r["note"] or "",
                    synthetic=r["synthetic"],
                )
                for r in rows
            ],
            RiskReview,
            audited=False,
        ),
    )
)
