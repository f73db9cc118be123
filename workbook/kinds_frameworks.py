"""The frameworks' sheets of the plan workbook (frameworks): competency frameworks with their
levels, competencies and what each level looks like for them, assessments and their scores,
targets by date, and the plan's gap analyses with the actions that close each gap.

A framework is its organisation's and names the plans whose PDF carries it
(docs/decisions/frameworks.md). A plan's workbook carries the frameworks that name THAT PLAN
(`Framework.plans`), with their whole assessment series; a framework that names no plan, or only
other plans, stays out of it. On import each is a new framework of the organisation naming the new
plan: a framework name the organisation has already is refused (it has its own assessments,
which an import must not mix with the workbook's). A competency's links to programmes and
objectives are written for this plan's programmes and referenced objectives only. Gap analyses
are plan content (`GapAnalysis.plan`) and are all carried.
"""

from __future__ import annotations

from collections import defaultdict

from frameworks import scoring
from frameworks.models import (
    MAX_LEVELS,
    Assessment,
    AssessmentKind,
    AssessmentScore,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from workbook.kinds import _create, _key, _link
from workbook.sheets import UPDATING, YES_NO, Col, SheetSpec, Type, choices_of, register

T = Type
FRAMEWORK = Col(
    "framework", "Framework", "The framework (a row of Frameworks).", T.REF, True, ref="Frameworks"
)
COMPETENCY = Col(
    "competency",
    "Competency",
    "The competency's number in its framework (a row of Competencies).",
    T.WHOLE,
    True,
    low=1,
    high=32767,
)
LEVEL = Col(
    "level",
    "Level",
    "A level of the framework (a row of Framework levels).",
    T.WHOLE,
    True,
    low=1,
    high=MAX_LEVELS,
)


def _frameworks(plan):
    return plan.frameworks.order_by("name")


def _level_count(loader, framework: str | None) -> int:
    """How many levels the workbook gives a framework (read once per import)."""
    if "framework levels" not in loader.cache:
        counts: dict[str, int] = defaultdict(int)
        for row in loader.rows.get("Framework levels", []):
            counts[row["framework"]] += 1
        loader.cache["framework levels"] = counts
    return loader.cache["framework levels"].get(framework, 0)


def _level_check(loader, row, column: str = "level") -> None:
    if row["framework"] is None or row[column] is None:
        return
    problem = scoring.level_problem(row[column], _level_count(loader, row["framework"]))
    if problem:
        loader.problem(row, column, problem)


def _competency_check(loader, row) -> None:
    if row["framework"] is None or row["competency"] is None:
        return
    if f"{row['framework']} | {row['competency']}" not in loader.keys("Competencies"):
        loader.problem(
            row,
            "competency",
            f"competency {row['competency']} of “{row['framework']}” is not a row of the sheet "
            "“Competencies”",
        )


# --- frameworks and their levels ----------------------------------------------------------------


def _framework_check(loader, row) -> None:
    if "framework names" not in loader.cache:
        frameworks = Framework.objects.filter(organisation=loader.organisation)
        if loader.target is not None:  # onto an existing plan: its frameworks are the matches
            frameworks = frameworks.exclude(plans=loader.target)
        loader.cache["framework names"] = set(frameworks.values_list("name", flat=True))
    if row["name"] in loader.cache["framework names"]:
        loader.problem(
            row,
            "name",
            f"your organisation already has a framework “{row['name']}”: rename it in the "
            "workbook (its assessments are not mixed with the organisation's)",
        )
    count = _level_count(loader, row.key)
    if not 2 <= count <= MAX_LEVELS:
        loader.problem(
            row,
            "name",
            f"has {count} level(s) on the sheet “Framework levels”: a framework has 2 to "
            f"{MAX_LEVELS}",
        )


def _frameworks_write(loader, rows) -> None:
    names: dict[str, dict[int, str]] = defaultdict(dict)
    for level in loader.rows.get("Framework levels", []):
        names[level["framework"]][level["level"]] = level["name"]
    made = _create(
        [
            Framework(
                organisation=loader.organisation,
                name=r["name"],
                description=r["description"] or "",
                level_names=[names[r.key][n] for n in sorted(names[r.key])],
                contributors_may_assess=r["contributors_may_assess"],
                synthetic=r["synthetic"],
            )
            for r in rows
        ],
        Framework,
    )
    # Onto an existing plan, the frameworks that name it already keep naming it.
    updating = UPDATING.get() is not None
    Framework.plans.through.objects.bulk_create(
        Framework.plans.through(framework=f, plan=loader.plan)
        for f in made
        if not updating or getattr(f, "_workbook_added", False)
    )
    loader.made["Frameworks"] = {r.key: f for r, f in zip(rows, made, strict=True)}


register(
    SheetSpec(
        name="Frameworks",
        model=Framework,
        match=("name",),
        fields=("description", "level_names", "contributors_may_assess", "synthetic"),
        records=lambda plan: Framework.objects.filter(plans=plan),
        removable=False,
        position=400,
        counted="competency frameworks",
        about="Competency or maturity frameworks that name this plan (their levels, "
        "competencies, assessments and targets follow). Importing makes each a new framework "
        "of your organisation naming the new plan; a framework name your organisation has "
        "already is refused.",
        key=_key("name"),
        key_columns=("name",),
        columns=(
            Col("name", "Name", "The framework's name.", required=True, max_length=200),
            Col("description", "Description", "What it assesses.", T.LONG_TEXT),
            Col(
                "contributors_may_assess",
                "Managers may assess",
                "Yes if managers (contributors) may record assessments.",
                T.YES_NO,
                choices=YES_NO,
            ),
            Col("synthetic", "Synthetic", "Yes for made-up demo data.", T.YES_NO, choices=YES_NO),
        ),
        export=lambda plan: (
            {
                "name": f.name,
                "description": f.description,
                "contributors_may_assess": f.contributors_may_assess,
                "synthetic": f.synthetic,
            }
            for f in _frameworks(plan)
        ),
        check=_framework_check,
        write=_frameworks_write,
    )
)


def _levels_check(loader, row) -> None:
    if row["framework"] is None or row["level"] is None:
        return
    count = _level_count(loader, row["framework"])
    if row["level"] > count:
        loader.problem(
            row,
            "level",
            f"the framework has {count} level rows: number them 1 to {count}, lowest first",
        )


register(
    SheetSpec(
        name="Framework levels",
        written_with="Frameworks",
        position=410,
        counted="framework levels",
        about="Each framework's levels, numbered 1 (lowest) to N without gaps, with their names.",
        key=_key("framework", "level"),
        key_columns=("level",),
        columns=(
            FRAMEWORK,
            Col(
                "level",
                "Level",
                "Its number: 1 is the lowest.",
                T.WHOLE,
                True,
                low=1,
                high=MAX_LEVELS,
            ),
            Col("name", "Name", "The level's name, e.g. Developing.", required=True),
        ),
        export=lambda plan: (
            {"framework": f.name, "level": n, "name": name}
            for f in _frameworks(plan)
            for n, name in f.levels
        ),
        check=_levels_check,
        # Written with their framework (its level_names).
        write=lambda loader, rows: None,
    )
)


# --- competencies -----------------------------------------------------------------------------


def _competency_rows(plan):
    competencies = (
        Competency.objects.filter(framework__plans=plan)
        .select_related("framework")
        .order_by("framework__name", "number")
    )
    programmes: dict[int, list[str]] = defaultdict(list)
    for competency_id, number in (
        Competency.programmes.through.objects.filter(
            competency__framework__plans=plan, programme__plan=plan
        )
        .order_by("programme__number")
        .values_list("competency_id", "programme__number")
    ):
        programmes[competency_id].append(str(number))
    objectives: dict[int, list[str]] = defaultdict(list)
    for competency_id, reference in (
        Competency.objectives.through.objects.filter(
            competency__framework__plans=plan, objective__plan=plan, objective__reference__gt=""
        )
        .order_by("objective__order", "objective__pk")
        .values_list("competency_id", "objective__reference")
    ):
        objectives[competency_id].append(reference)
    for c in competencies:
        yield {
            "framework": c.framework.name,
            "number": c.number,
            "name": c.name,
            "description": c.description,
            "programmes": tuple(programmes.get(c.pk, ())),
            "objectives": tuple(objectives.get(c.pk, ())),
        }


def _competencies_write(loader, rows) -> None:
    descriptors: dict[str, dict[int, str]] = defaultdict(dict)
    for d in loader.rows.get("Competency descriptors", []):
        descriptors[f"{d['framework']} | {d['competency']}"][d["level"]] = d["descriptor"]

    def listed(key: str) -> list[str]:
        given = descriptors.get(key, {})
        return [given.get(n, "") for n in range(1, max(given, default=0) + 1)]

    made = _create(
        [
            Competency(
                framework=loader.made["Frameworks"][r["framework"]],
                number=r["number"],
                name=r["name"],
                description=r["description"] or "",
                descriptors=listed(r.key),
            )
            for r in rows
        ],
        Competency,
    )
    loader.made["Competencies"] = {r.key: c for r, c in zip(rows, made, strict=True)}
    for field, sheet, other in (
        ("programmes", "Programmes", "programme"),
        ("objectives", "Objectives", "objective"),
    ):
        _link(
            getattr(Competency, field).through,
            "competency",
            other,
            made,
            (
                (c, loader.made[sheet][ref])
                for r, c in zip(rows, made, strict=True)
                for ref in r[field]
            ),
            loader.made[sheet].values(),
        )


register(
    SheetSpec(
        name="Competencies",
        model=Competency,
        match=("framework", "number"),
        fields=("name", "description", "descriptors"),
        records=lambda plan: Competency.objects.filter(framework__plans=plan),
        position=420,
        counted="competencies",
        about="Each framework's competencies, by number, with the plan's programmes and "
        "objectives or actions that develop them.",
        key=_key("framework", "number"),
        key_columns=("number",),
        columns=(
            FRAMEWORK,
            Col(
                "number", "Number", "Its number in the framework.", T.WHOLE, True, low=1, high=32767
            ),
            Col("name", "Name", "The competency.", required=True, max_length=200),
            Col("description", "Description", "What it covers.", T.LONG_TEXT),
            Col(
                "programmes",
                "Programmes",
                "Programmes that develop it (numbers on Programmes).",
                T.REFS,
                ref="Programmes",
            ),
            Col(
                "objectives",
                "Objectives",
                "Objectives and actions that develop it (references on Objectives).",
                T.REFS,
                ref="Objectives",
            ),
        ),
        export=_competency_rows,
        write=_competencies_write,
    )
)


def _descriptor_check(loader, row) -> None:
    _competency_check(loader, row)
    _level_check(loader, row)


register(
    SheetSpec(
        name="Competency descriptors",
        written_with="Competencies",
        position=430,
        counted="competency descriptors",
        about="What each level looks like for a competency: one row per competency and level "
        "(a level with no row has no descriptor).",
        key=_key("framework", "competency", "level"),
        key_columns=("level",),
        columns=(
            FRAMEWORK,
            COMPETENCY,
            LEVEL,
            Col("descriptor", "Descriptor", "What the level looks like.", T.LONG_TEXT, True),
        ),
        export=lambda plan: (
            {"framework": c.framework.name, "competency": c.number, "level": n, "descriptor": d}
            for c in Competency.objects.filter(framework__plans=plan)
            .select_related("framework")
            .order_by("framework__name", "number")
            for n, d in enumerate(c.descriptors, start=1)
            if d
        ),
        check=_descriptor_check,
        # Written with their competency (its descriptors).
        write=lambda loader, rows: None,
    )
)


# --- assessments, scores, targets -----------------------------------------------------------------


def _assessments_write(loader, rows) -> None:
    made = _create(
        [
            Assessment(
                framework=loader.made["Frameworks"][r["framework"]],
                assessed_on=r["assessed_on"],
                kind=r["kind"],
                assessor=r["assessor"] or "",
                evidence=r["evidence"] or "",
            )
            for r in rows
        ],
        Assessment,
    )
    loader.made["Assessments"] = {r.key: a for r, a in zip(rows, made, strict=True)}


register(
    SheetSpec(
        name="Assessments",
        model=Assessment,
        match=("framework", "assessed_on", "kind"),
        history=True,
        records=lambda plan: Assessment.objects.filter(framework__plans=plan),
        position=440,
        counted="assessments",
        about="Each assessment of a framework: its date and kind (one of each kind a day), who "
        "assessed and the evidence. Its scores are on Assessment scores. Who recorded it is not "
        "carried.",
        key=_key("framework", "assessed_on", "kind"),
        key_columns=("assessed_on",),
        columns=(
            FRAMEWORK,
            Col("assessed_on", "Assessed on", "The date of the assessment.", T.DATE, True),
            Col(
                "kind",
                "Kind",
                "Self-assessment, Panel or External.",
                T.CHOICE,
                True,
                choices_of(AssessmentKind),
            ),
            Col("assessor", "Assessor", "Who assessed.", max_length=200),
            Col("evidence", "Evidence", "What the assessment rests on.", T.LONG_TEXT),
        ),
        export=lambda plan: (
            {
                "framework": a.framework.name,
                "assessed_on": a.assessed_on,
                "kind": a.kind,
                "assessor": a.assessor,
                "evidence": a.evidence,
            }
            for a in Assessment.objects.filter(framework__plans=plan)
            .select_related("framework")
            .order_by("framework__name", "assessed_on", "pk")
        ),
        write=_assessments_write,
    )
)


def _assessment_key(values) -> str | None:
    return _key("framework", "assessed_on", "kind")(values)


def _score_check(loader, row) -> None:
    key = _assessment_key(row.values)
    if key is not None and row["framework"] is not None and key not in loader.keys("Assessments"):
        loader.problem(
            row,
            "assessed_on",
            "no row of the sheet “Assessments” has this framework, date and kind",
        )
    _competency_check(loader, row)
    _level_check(loader, row)


register(
    SheetSpec(
        name="Assessment scores",
        model=AssessmentScore,
        match=("assessment", "competency"),
        history=True,
        records=lambda plan: AssessmentScore.objects.filter(assessment__framework__plans=plan),
        position=450,
        counted="assessment scores",
        about="The level each assessment gave each competency: one row per assessment and "
        "competency, within the framework's levels.",
        key=_key("framework", "assessed_on", "kind", "competency"),
        key_columns=("competency",),
        columns=(
            FRAMEWORK,
            Col(
                "assessed_on",
                "Assessed on",
                "The assessment's date (a row of Assessments).",
                T.DATE,
                True,
            ),
            Col(
                "kind",
                "Kind",
                "The assessment's kind.",
                T.CHOICE,
                True,
                choices_of(AssessmentKind),
            ),
            COMPETENCY,
            LEVEL,
        ),
        export=lambda plan: (
            {
                "framework": s.assessment.framework.name,
                "assessed_on": s.assessment.assessed_on,
                "kind": s.assessment.kind,
                "competency": s.competency.number,
                "level": s.level,
            }
            for s in AssessmentScore.objects.filter(assessment__framework__plans=plan)
            .select_related("assessment__framework", "competency")
            .order_by(
                "assessment__framework__name",
                "assessment__assessed_on",
                "assessment__pk",
                "competency__number",
            )
        ),
        check=_score_check,
        write=lambda loader, rows: _create(
            [
                AssessmentScore(
                    assessment=loader.made["Assessments"][_assessment_key(r.values)],
                    competency=loader.made["Competencies"][f"{r['framework']} | {r['competency']}"],
                    level=r["level"],
                )
                for r in rows
            ],
            AssessmentScore,
        ),
    )
)


def _target_check(loader, row) -> None:
    _competency_check(loader, row)
    _level_check(loader, row)


register(
    SheetSpec(
        name="Competency targets",
        model=CompetencyTarget,
        match=("competency", "target_date"),
        fields=("level",),
        records=lambda plan: CompetencyTarget.objects.filter(competency__framework__plans=plan),
        position=460,
        counted="competency targets",
        about="The level a competency should reach by a date: one target per competency a date.",
        key=_key("framework", "competency", "target_date"),
        key_columns=("target_date",),
        columns=(
            FRAMEWORK,
            COMPETENCY,
            Col("target_date", "By", "The date to reach it by.", T.DATE, True),
            Col(
                "level",
                "Target level",
                "The level to reach (a row of Framework levels).",
                T.WHOLE,
                True,
                low=1,
                high=MAX_LEVELS,
            ),
        ),
        export=lambda plan: (
            {
                "framework": t.competency.framework.name,
                "competency": t.competency.number,
                "target_date": t.target_date,
                "level": t.level,
            }
            for t in CompetencyTarget.objects.filter(competency__framework__plans=plan)
            .select_related("competency__framework")
            .order_by("competency__framework__name", "competency__number", "target_date")
        ),
        check=_target_check,
        write=lambda loader, rows: _create(
            [
                CompetencyTarget(
                    competency=loader.made["Competencies"][f"{r['framework']} | {r['competency']}"],
                    target_date=r["target_date"],
                    level=r["level"],
                )
                for r in rows
            ],
            CompetencyTarget,
        ),
    )
)


# --- gap analyses -------------------------------------------------------------------------------


def _analyses_write(loader, rows) -> None:
    made = _create(
        [
            GapAnalysis(
                plan=loader.plan,
                title=r["title"],
                description=r["description"] or "",
                synthetic=r["synthetic"],
            )
            for r in rows
        ],
        GapAnalysis,
    )
    loader.made["Gap analyses"] = {r.key: a for r, a in zip(rows, made, strict=True)}


register(
    SheetSpec(
        name="Gap analyses",
        model=GapAnalysis,
        match=("title",),
        fields=("description", "synthetic"),
        position=470,
        counted="gap analyses",
        about="The plan's gap analyses (the McKinsey 7S or dimensions of your own): their "
        "dimensions are on Gap dimensions.",
        key=_key("title"),
        key_columns=("title",),
        columns=(
            Col("title", "Title", "The analysis's title.", required=True, max_length=200),
            Col("description", "Description", "What it is for.", T.LONG_TEXT),
            Col("synthetic", "Synthetic", "Yes for made-up demo data.", T.YES_NO, choices=YES_NO),
        ),
        export=lambda plan: (
            {"title": a.title, "description": a.description, "synthetic": a.synthetic}
            for a in plan.gap_analyses.order_by("title")
        ),
        write=_analyses_write,
    )
)


def _dimension_rows(plan):
    actions: dict[int, list[str]] = defaultdict(list)
    for dimension_id, reference in (
        GapDimension.actions.through.objects.filter(
            gapdimension__analysis__plan=plan, objective__plan=plan, objective__reference__gt=""
        )
        .order_by("objective__order", "objective__pk")
        .values_list("gapdimension_id", "objective__reference")
    ):
        actions[dimension_id].append(reference)
    for d in (
        GapDimension.objects.filter(analysis__plan=plan)
        .select_related("analysis")
        .order_by("analysis__title", "order", "pk")
    ):
        yield {
            "analysis": d.analysis.title,
            "name": d.name,
            "current_state": d.current_state,
            "desired_state": d.desired_state,
            "actions": tuple(actions.get(d.pk, ())),
        }


def _dimensions_write(loader, rows) -> None:
    counts: dict[str, int] = defaultdict(int)
    dimensions = []
    for r in rows:
        counts[r["analysis"]] += 1
        dimensions.append(
            GapDimension(
                analysis=loader.made["Gap analyses"][r["analysis"]],
                name=r["name"],
                order=counts[r["analysis"]],
                current_state=r["current_state"] or "",
                desired_state=r["desired_state"] or "",
            )
        )
    made = _create(dimensions, GapDimension)
    _link(
        GapDimension.actions.through,
        "gapdimension",
        "objective",
        made,
        (
            (d, loader.made["Objectives"][ref])
            for r, d in zip(rows, made, strict=True)
            for ref in r["actions"]
        ),
        loader.made["Objectives"].values(),
    )


register(
    SheetSpec(
        name="Gap dimensions",
        model=GapDimension,
        match=("analysis", "name"),
        fields=("current_state", "desired_state"),
        quiet=("order",),
        records=lambda plan: GapDimension.objects.filter(analysis__plan=plan),
        position=480,
        counted="gap analysis dimensions",
        about="Each gap analysis's dimensions, in order: where we are, where we want to be, and "
        "the plan's actions that close the gap.",
        key=_key("analysis", "name"),
        key_columns=("name",),
        columns=(
            Col(
                "analysis",
                "Gap analysis",
                "The analysis (a row of Gap analyses).",
                T.REF,
                True,
                ref="Gap analyses",
            ),
            Col(
                "name", "Dimension", "The dimension, e.g. Strategy.", required=True, max_length=120
            ),
            Col("current_state", "Where we are", "Where we are now.", T.LONG_TEXT),
            Col("desired_state", "Where we want to be", "Where we want to be.", T.LONG_TEXT),
            Col(
                "actions",
                "Actions",
                "The objectives and actions that close the gap (references on Objectives).",
                T.REFS,
                ref="Objectives",
            ),
        ),
        export=_dimension_rows,
        write=_dimensions_write,
    )
)
