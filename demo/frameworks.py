"""A SYNTHETIC competency framework, assessment series and 7S gap analysis for SSP.

The SSP business plan 2006/07 prints no competency framework, no assessment and no gap analysis,
so none of this comes from a source document, and the pages say so (``synthetic``). It is here
so that the framework page, its charts and the PDF appendix have something to show: six
generic competencies on four levels, three assessments across the plan's year (a self-assessment,
a panel, an external review) and two targets per competency, all fixed values (no randomness),
so every load gives the same figures. The gap analysis holds the McKinsey 7S dimensions only,
with no statements: what SSP thought of itself is not recorded anywhere we have.

Loaded once: an organisation that already has the framework is left as it is.
"""

from __future__ import annotations

import datetime as dt

from frameworks.models import (
    Assessment,
    AssessmentKind,
    AssessmentScore,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from frameworks.scoring import SEVEN_S
from planning.models import Plan

FRAMEWORK_NAME = "Capability framework (synthetic demo)"
GAP_TITLE = "McKinsey 7S (synthetic demo)"
LEVELS = ["Developing", "Established", "Proficient", "Leading"]
COMPETENCIES = [
    "Leadership and direction",
    "Customer and partner focus",
    "Financial management",
    "Workforce development",
    "Performance management",
    "Partnership working",
]
DESCRIPTORS = [
    "Practice is starting: it depends on individuals and varies between services.",
    "Practice is in place across the partnership and followed consistently.",
    "Practice is measured and improved from what the measures show.",
    "Practice is an example to partners and is sought out by others.",
]
# (date, kind, assessor, level per competency in COMPETENCIES' order)
ASSESSMENTS = [
    (dt.date(2006, 4, 28), AssessmentKind.SELF, "Senior management team", [2, 1, 2, 1, 1, 2]),
    (dt.date(2006, 10, 13), AssessmentKind.PANEL, "Partnership board panel", [2, 2, 2, 1, 2, 2]),
    (dt.date(2007, 3, 16), AssessmentKind.EXTERNAL, "External reviewer", [3, 2, 3, 2, 2, 3]),
]
# (date, level for every competency): inside the plan's year, 2006/07.
TARGETS = [(dt.date(2006, 9, 30), 2), (dt.date(2007, 3, 31), 3)]


def load(plan: Plan) -> list[str]:
    """Create the synthetic framework and gap analysis unless they are there already."""
    report = []
    organisation = plan.organisation
    if not Framework.objects.filter(organisation=organisation, name=FRAMEWORK_NAME).exists():
        _framework(plan)
        report.append(f"Added the synthetic demo competency framework to {organisation}")
    if not GapAnalysis.objects.filter(plan=plan, title=GAP_TITLE).exists():
        analysis = GapAnalysis.objects.create(
            plan=plan,
            title=GAP_TITLE,
            description="The seven dimensions, ready for the planner to write where the "
            "partnership is and where it wants to be.",
            synthetic=True,
        )
        for order, (name, _) in enumerate(SEVEN_S, start=1):
            GapDimension.objects.create(analysis=analysis, name=name, order=order)
        report.append(f"Added the synthetic demo 7S gap analysis to {plan}")
    return report


def _framework(plan: Plan) -> Framework:
    framework = Framework.objects.create(
        organisation=plan.organisation,
        name=FRAMEWORK_NAME,
        description="Six competencies the partnership scores itself on, from level 1 "
        "(Developing) to level 4 (Leading). Made up for the demo.",
        level_names=LEVELS,
        synthetic=True,
    )
    framework.plans.add(plan)
    competencies = [
        Competency.objects.create(
            framework=framework, number=number, name=name, descriptors=DESCRIPTORS
        )
        for number, name in enumerate(COMPETENCIES, start=1)
    ]
    for on, kind, assessor, levels in ASSESSMENTS:
        assessment = Assessment.objects.create(
            framework=framework,
            assessed_on=on,
            kind=kind,
            assessor=assessor,
            evidence="Synthetic demo assessment: no evidence behind it.",
        )
        for competency, level in zip(competencies, levels, strict=True):
            AssessmentScore.objects.create(
                assessment=assessment, competency=competency, level=level
            )
    for on, level in TARGETS:
        for competency in competencies:
            CompetencyTarget.objects.create(competency=competency, target_date=on, level=level)
    return framework
