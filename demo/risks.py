"""Demo risk registers (assurance).

1. Herefordshire Shared Services Partnership (HSSP): the five risks and their mitigations that
   Herefordshire Council's Cabinet report of 18 December 2009 ("Interim report on shared
   services", ../shared/reference/herefordshire-shared-services-cabinet-2009.txt, Risk
   Management) lists, word for word. The report prints no likelihood, consequence or score, so
   the risks are recorded UNSCORED and the pages say "not scored in the source"; nor does it say
   who owns them, when they are reviewed, or which line of defence each mitigation is, so those
   stay blank. The report names the partnership ("Herefordshire Shared Services Partnership,
   HSSP") of the Council, NHS Herefordshire and Hereford Hospitals Trust: the organisation here
   is only that name and kind; the partnership itself is modelled by a later issue (15).

2. SSP: a SYNTHETIC scored register for the SSP Business Plan 2006/07, made up (the plan prints
   no risk register) so the BAF, the heat map and the trend have something to show. Every risk
   and review is marked synthetic, its reference starts "SYN", and the pages say so. Scores and
   reviews come from ``random.Random(SEED)``: every load gives the same register.

Idempotent: an organisation that already has its demo risks is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random

from assurance.models import Control, ControlKind, Risk, RiskCategory, RiskReview, RiskStatus
from objectives.models import Objective
from planning.models import Organisation, OrganisationKind, Person, Plan, User

# ---------------------------------------------------------------------------------------------
# Herefordshire: as printed
# ---------------------------------------------------------------------------------------------

HSSP_SLUG = "hssp"
HSSP = {
    "name": "Herefordshire Shared Services Partnership",
    "short_name": "HSSP",
    "kind": OrganisationKind.PARTNERSHIP,
}
HEREFORDSHIRE_SOURCE = "herefordshire-shared-services-cabinet-2009.txt"
SOURCE_NOTE = (
    "Herefordshire Council Cabinet, 18 December 2009, Interim report on shared services, "
    "Risk Management, item {letter}. The report prints no likelihood, consequence or score, "
    "no owner and no review date."
)

# (letter, title, the risk as printed, the mitigation as printed). Item a prints a heading and
# its mitigation only: the heading is the risk.
HEREFORDSHIRE_RISKS = [
    (
        "a",
        "Programme Governance",
        "Programme Governance",
        "Strong leadership and sponsorship from the JMT, Hereford Hospitals Trust and the "
        "Programme Board will ensure that there is effective governance for the programme. New "
        "arrangements have been identified for the next stage of the programme.",
    ),
    (
        "b",
        "Lack of alignment with other major initiatives",
        "Lack of alignment between this work and other major initiatives.",
        "The integration of the key transformation programmes with a single governing board has "
        "been progressed.",
    ),
    (
        "c",
        "Negative impact on staff morale",
        "Risk of the review having a negative impact on staff morale.",
        "This is being mitigated by a comprehensive communication strategy recognising the needs "
        "of staff and Trade Unions.",
    ),
    (
        "d",
        "Return on Investment",
        "Return on Investment (risk that the business case does not justify the investment).",
        "This is being mitigated by the regular review of the business case to test that it is "
        "viable.",
    ),
    (
        "e",
        "Outcome of the Commissioner/Provider review",
        "Outcome of Commissioner/Provider review (within Health) could impact on the 'critical "
        "mass' for shared services.",
        "This will be kept under regular review as part of governance processes and any risks "
        "can be mitigated through the commissioning process.",
    ),
]


def load_herefordshire() -> tuple[Organisation, bool]:
    organisation, _ = Organisation.objects.get_or_create(slug=HSSP_SLUG, defaults=HSSP)
    if Risk.objects.filter(organisation=organisation).exists():
        return organisation, False
    for letter, title, event, mitigation in HEREFORDSHIRE_RISKS:
        risk = Risk.objects.create(
            organisation=organisation,
            reference=letter,
            title=title,
            event=event,
            status=RiskStatus.OPEN,
            source_note=SOURCE_NOTE.format(letter=letter),
        )
        Control.objects.create(risk=risk, kind=ControlKind.CONTROL, description=mitigation, order=1)
    return organisation, True


# ---------------------------------------------------------------------------------------------
# SSP: synthetic, seeded
# ---------------------------------------------------------------------------------------------

SEED = 20060401
SSP_PLAN = "ssp-business-plan-2006-07"
CATEGORIES = [
    ("Financial", 12, "Synthetic: the board accepts high financial risk only while savings land."),
    ("Workforce", 8, "Synthetic: moderate at most."),
    ("Service delivery", 8, "Synthetic: moderate at most."),
    ("Information governance", 4, "Synthetic: the board is averse to information risk."),
    ("Reputation", 6, "Synthetic: moderate at most."),
]
# (title, category, cause, event, effect): made up for the demo, in the plan's setting.
SYNTHETIC_RISKS = [
    (
        "Partner PCTs withdraw services",
        "Financial",
        "PCT reconfiguration in London",
        "a partner PCT takes a service back in house",
        "SSP's income falls and overheads rise",
    ),
    (
        "Savings targets missed",
        "Financial",
        "efficiency demands on every partner",
        "SSP does not deliver the savings promised",
        "partners question the value of sharing",
    ),
    (
        "Loss of key staff during restructuring",
        "Workforce",
        "the new services directorate",
        "experienced staff leave",
        "services lose knowledge and continuity",
    ),
    (
        "Sickness absence stays high",
        "Workforce",
        "low morale during change",
        "sickness absence stays above target",
        "agency costs rise and services slip",
    ),
    (
        "Payroll system failure",
        "Service delivery",
        "an ageing payroll platform",
        "a payroll run fails",
        "staff of every partner are paid late",
    ),
    (
        "Estates backlog maintenance",
        "Service delivery",
        "deferred maintenance",
        "a building fails an inspection",
        "a site closes at short notice",
    ),
    (
        "Personal data breach",
        "Information governance",
        "paper and email records",
        "personal data is disclosed",
        "regulatory action and loss of trust",
    ),
    (
        "Helpdesk overwhelmed after the HQ move",
        "Service delivery",
        "the move of headquarters",
        "calls go unanswered",
        "partners' staff cannot get support",
    ),
    (
        "Negative press about shared services",
        "Reputation",
        "national debate on back offices",
        "SSP is reported as costly",
        "partners hesitate to extend services",
    ),
    (
        "Procurement challenge",
        "Financial",
        "larger joint contracts",
        "a bidder challenges an award",
        "contracts are delayed and costs rise",
    ),
]
REVIEW_DATES = [dt.date(2006, 6, 30), dt.date(2006, 9, 30), dt.date(2006, 12, 31),
                dt.date(2007, 3, 31)]  # fmt: skip


def _ssp_owner(organisation: Organisation) -> Person | None:
    """The demo manager, as a person who owns risks (so they may record reviews)."""
    user = User.objects.filter(username="ssp-manager").first()
    if user is None:
        return None
    person, _ = Person.objects.get_or_create(
        organisation=organisation, name=user.get_full_name(), defaults={"user": user}
    )
    return person


def load_ssp_synthetic() -> tuple[Organisation | None, int]:
    plan = Plan.objects.select_related("organisation").filter(slug=SSP_PLAN).first()
    if plan is None:
        return None, 0
    organisation = plan.organisation
    if Risk.objects.filter(organisation=organisation, synthetic=True).exists():
        return organisation, 0
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo figures
    categories = {
        name: RiskCategory.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"appetite": appetite, "appetite_statement": statement},
        )[0]
        for name, appetite, statement in CATEGORIES
    }
    priorities = list(plan.strategic_priorities.order_by("number"))
    actions = list(Objective.objects.filter(plan=plan).order_by("order", "pk"))
    owner = _ssp_owner(organisation)
    for number, (title, category, cause, event, effect) in enumerate(SYNTHETIC_RISKS, start=1):
        inherent = (rng.randint(3, 5), rng.randint(3, 5))
        target = (rng.randint(1, inherent[0] - 1), rng.randint(2, inherent[1]))
        walk = [inherent]
        for _ in REVIEW_DATES[1:]:
            lk, c = walk[-1]
            lk = max(target[0], min(5, lk + rng.choice((-1, -1, 0, 1))))
            c = max(target[1], min(5, c + rng.choice((-1, 0, 0, 1))))
            walk.append((lk, c))
        risk = Risk.objects.create(
            organisation=organisation,
            plan=plan,
            reference=f"SYN {number}",
            title=title,
            cause=f"Because of {cause},",
            event=f"there is a risk that {event},",
            effect=f"which would mean {effect}.",
            category=categories[category],
            owner_person=owner if number <= 2 else None,
            inherent_likelihood=inherent[0],
            inherent_consequence=inherent[1],
            current_likelihood=walk[-1][0],
            current_consequence=walk[-1][1],
            target_likelihood=target[0],
            target_consequence=target[1],
            gaps_in_control="Synthetic: no tested business continuity plan." if number % 3 else "",
            gaps_in_assurance="Synthetic: no internal audit this year." if number % 2 else "",
            is_principal=number <= 7,
            status=RiskStatus.ESCALATED if number == 4 else RiskStatus.OPEN,
            review_date=dt.date(2007, 6, 30),
            source_note="Synthetic: made up by Waymark's demo loader (fixed seed).",
            synthetic=True,
        )
        if priorities:
            risk.priorities.add(priorities[(number - 1) % len(priorities)])
        if actions:
            risk.mitigating_actions.add(*rng.sample(actions, k=min(2, len(actions))))
        Control.objects.create(
            risk=risk,
            kind=ControlKind.CONTROL,
            description="Synthetic: monthly review at the SSP management team.",
            line_of_defence=1,
            order=1,
        )
        Control.objects.create(
            risk=risk,
            kind=ControlKind.ASSURANCE,
            description="Synthetic: quarterly report to the Partnership Board.",
            line_of_defence=2,
            order=2,
        )
        RiskReview.objects.bulk_create(
            RiskReview(
                risk=risk,
                reviewed_on=when,
                likelihood=lk,
                consequence=c,
                note="Synthetic review.",
                synthetic=True,
            )
            for when, (lk, c) in zip(REVIEW_DATES, walk, strict=True)
        )
    return organisation, len(SYNTHETIC_RISKS)


def load() -> list[str]:
    report = []
    hssp, created = load_herefordshire()
    report.append(
        f"{'Loaded' if created else 'Already loaded'}: {len(HEREFORDSHIRE_RISKS)} unscored "
        f"risks of {hssp}"
    )
    ssp, count = load_ssp_synthetic()
    if ssp is not None:
        report.append(
            f"Loaded: {count} synthetic risks of {ssp.display_name}"
            if count
            else f"Already loaded: synthetic risks of {ssp.display_name}"
        )
    return report
