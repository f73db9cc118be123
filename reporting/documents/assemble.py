"""A document spec becomes HTML: read the records (selectors), fill the PDF template.

The HTML links only our print stylesheet, relative to the static directory it is resolved
against (`base_url`), and uses the system's Liberation Sans (Arial's metrics): the render needs
nothing but that one file.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from budgets.selectors import scorecard_finance
from planning.fy import Quarter
from planning.models import User
from reporting.documents import programme, selectors
from reporting.documents.spec import DocumentSpec, Kind

STYLESHEET = "css/pdf.css"

# The management command exports as the system: every plan, no membership needed.
SYSTEM_USER = SimpleNamespace(
    pk=None, is_superuser=True, is_authenticated=True, is_anonymous=False, username="system"
)


class DocumentUnavailable(LookupError):
    """The document cannot be produced (e.g. the scorecard's KPI selectors are missing)."""


def static_roots() -> list[str]:
    """Where the render may read files from: our static directories, nothing else."""
    roots = [str(Path(p).resolve()) for p in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(str(Path(settings.STATIC_ROOT).resolve()))
    return roots


def base_url() -> str:
    """The static directory that holds the print stylesheet, as a file:// URL."""
    found = finders.find(STYLESHEET)
    if not found:
        raise DocumentUnavailable(f"The print stylesheet {STYLESHEET} is missing.")
    return Path(found).resolve().parent.parent.as_uri() + "/"


def user_for(spec: DocumentSpec):
    if spec.user_id is None:
        return SYSTEM_USER
    return User.objects.get(pk=spec.user_id)


def context_for(spec: DocumentSpec) -> tuple[str, dict]:
    """The template and its context for a spec."""
    if spec.kind == Kind.PLAN:
        plan = selectors.plan_for_document(spec.plan_id)
        doc = selectors.plan_document(plan)
        return "reporting/pdf/documents/plan.html", {
            "doc": doc,
            "plan": plan,
            "organisation": plan.organisation,
            "draft": doc.draft,
            "title": f"{plan.title} {plan.period_label}",
            "subject": f"{plan.get_kind_display()} {plan.period_label} of {plan.organisation}",
            "keywords": f"{plan.get_kind_display()}, {plan.organisation.display_name}",
        }
    if spec.kind == Kind.ACTIONS:
        doc = selectors.action_plan_document(user_for(spec), spec.filters, spec.org_ids)
        plan = doc.single_plan
        organisations = list(dict.fromkeys(p.plan.organisation for p in doc.plans))
        title = f"Action plan: {plan.title} {plan.period_label}" if plan else "Action plan"
        return "reporting/pdf/documents/actions.html", {
            "doc": doc,
            "plan": plan,
            "organisation": organisations[0] if len(organisations) == 1 else None,
            "organisations": organisations,
            "draft": doc.draft,
            "title": title,
            "subject": f"Objectives and actions, {doc.count} items"
            + (", filtered" if doc.filters else ""),
            "keywords": "Action plan, objectives, RAG",
        }
    if spec.kind == Kind.SCORECARD:
        plan = selectors.plan_for_document(spec.plan_id)
        quarter = Quarter.parse(spec.quarter)
        doc = selectors.scorecard_document(plan, quarter)
        as_at = timezone.localdate()
        return "reporting/pdf/documents/scorecard.html", {
            "doc": doc,
            # The BAF as the register stands today: risks are not reported by quarter.
            "baf": selectors.baf_document(plan, as_at),
            "as_at": as_at,
            "finance": scorecard_finance(plan, quarter),
            "plan": plan,
            "quarter": quarter,
            "organisation": plan.organisation,
            "draft": plan.is_draft_mark_needed,
            "title": f"Board pack {quarter}: {plan.title} {plan.period_label}",
            "subject": f"Quarterly scorecard, {quarter}, of {plan.organisation}",
            "keywords": "Board pack, quarterly scorecard, KPIs, SPC",
        }
    if spec.kind == Kind.PROGRAMME:
        plan = selectors.plan_for_document(spec.plan_id)
        doc = programme.programme_document(plan)
        return "reporting/pdf/documents/programme.html", {
            "doc": doc,
            "plan": plan,
            "organisation": plan.organisation,
            "draft": doc.draft,
            "title": f"Programme report: {plan.title} {plan.period_label}",
            "subject": f"Programme report of the {plan.get_kind_display().lower()} "
            f"{plan.period_label} of {plan.organisation}",
            "keywords": "Programme report, delivery plan, progress, benefits, risks, "
            "dependencies, governance",
        }
    raise DocumentUnavailable(f"Unknown document {spec.kind!r}.")


def html_for(spec: DocumentSpec) -> str:
    template, context = context_for(spec)
    context.setdefault("author", _author(context))
    context["stylesheet"] = STYLESHEET
    return render_to_string(template, context)


def _author(context) -> str:
    organisation = context.get("organisation")
    if organisation is not None:
        return organisation.name
    return ", ".join(o.name for o in context.get("organisations", [])) or "Waymark"
