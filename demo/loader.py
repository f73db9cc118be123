"""The demo: two real NHS plans (transcribed in fixtures/ from the documents in
../shared/reference), their fictional sign-ins, the SSP plan's synthetic measurements and its
synthetic competency framework and gap analysis (demo.frameworks).

`load_demo()` loads everything in one transaction: on any error nothing is saved, and a plan
that is already there is left as it is, so running it twice changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from demo import ccg, delivery, measurements, risks, ssp, users
from demo import frameworks as demo_frameworks
from planning.models import Organisation


def load_demo() -> list[str]:
    """Load the demo organisations, plans and sign-ins; return a line per thing done."""
    report: list[str] = []
    with transaction.atomic():
        for module in (ssp, ccg):
            plan, created = module.load()
            report.append(f"{'Loaded' if created else 'Already loaded'}: {plan}")
            report.extend(users.ensure_demo_users(plan.organisation, prefix=module.USER_PREFIX))
            report.extend(measurements.report(plan) if module is ssp else [])
            report.extend(demo_frameworks.load(plan) if module is ssp else [])
        # After the sign-ins: the SSP demo manager owns two synthetic risks.
        report.extend(risks.load())
        report.extend(load_partnerships())
    return report


def load_partnerships() -> list[str]:
    """The two partnerships' delivery plans (after Herefordshire's register: its items link its
    risks) and fictional sign-ins for each, who belong to a member organisation too."""
    report: list[str] = []
    with transaction.atomic():
        risks.load_herefordshire()
        for plan, created, data in delivery.load_all():
            report.append(f"{'Loaded' if created else 'Already loaded'}: {plan}")
            member = Organisation.objects.get(slug=data["signin_member"])
            report.extend(
                users.ensure_demo_users(
                    plan.organisation, prefix=data["user_prefix"], member_of=member
                )
            )
    return report
