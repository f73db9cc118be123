"""PDF exports: the annual plan, the board pack and the action plan; their status and download.

Who may export is decided in planning.permissions (Action.EXPORT: every role of the plan's
organisation, as each may read it; 404 for outsiders), asked again
by every view, the status page and the download included.

An export is served from the cache when its records are unchanged; else a small one is rendered
in the request (in a child process, under a time and memory limit) and a big one (more
objectives or KPIs than PDF_BACKGROUND_THRESHOLD) goes to the task worker, the user waiting on a
status page that polls (htmx every 2 s, a meta refresh without JavaScript) and offers the
download when it is ready. The status page's URL carries a signed ticket: the document spec, the
fingerprint and the task id, for the user who asked and nobody else.
"""

from __future__ import annotations

import logging

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskException
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from planning import permissions
from planning.fy import Quarter
from planning.models import Plan
from planning.permissions import Action
from reporting.documents import exports, selectors
from reporting.documents.fingerprint import fingerprint
from reporting.documents.render import RenderError
from reporting.documents.spec import DocumentSpec, Kind, normalise_query
from reporting.documents.tasks import export_document
from reporting.scorecard import default_quarter, scorecard_quarters

logger = logging.getLogger(__name__)

TICKET_SALT = "waymark.documents.ticket"
TICKET_MAX_AGE = 7 * 24 * 3600  # a week: the status page is bookmarkable for that long
POLL_SECONDS = 2
# Filters that name a record: a value the user cannot see is "not found", as elsewhere.


# ---------------------------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------------------------


def check_spec(user, spec: DocumentSpec) -> None:
    """May `user` (still) have this document? 404 / 403 as planning.permissions decides."""
    if spec.kind in (Kind.PLAN, Kind.SCORECARD, Kind.PROGRAMME):
        plan = Plan.objects.filter(pk=spec.plan_id).only("organisation_id").first()
        if plan is None:
            raise Http404("No such record.")
        permissions.require_plan(user, Action.EXPORT, plan)
        return
    for org_id in spec.org_ids:
        permissions.require(user, Action.EXPORT, org_id)


# ---------------------------------------------------------------------------------------------
# The export page and the three documents
# ---------------------------------------------------------------------------------------------


def _crumbs(plan: Plan | None = None):
    crumbs = [{"text": "Home", "href": reverse("planning:home")}]
    if plan is not None:
        crumbs.append({"text": str(plan), "href": plan.get_absolute_url()})
    return crumbs


def _plan_quarters(plan: Plan) -> list[Quarter]:
    """The quarters a board pack can be made for: the scorecard's (the plan's, and any other
    quarter with data)."""
    return scorecard_quarters(plan)


def _default_quarter(plan: Plan) -> Quarter:
    return default_quarter(plan)


def plan_exports(request, slug: str):
    """The plan's PDFs, one link or form each."""
    plan = permissions.plan_for(request.user, Action.EXPORT, slug)
    objectives = selectors.objective_count(plan.pk)
    return TemplateResponse(
        request,
        "reporting/pdf/pages/plan_exports.html",
        {
            "plan": plan,
            "actions_pdf_url": f"{reverse('documents:actions_pdf')}?plan={plan.pk}",
            "objective_count": objectives,
            "programme_pdf_url": reverse("documents:programme_pdf", args=[plan.slug])
            if selectors.has_delivery_items(plan.pk)
            else "",
            "background": objectives > exports.background_threshold(),
            # Newest first, as every quarter list (the scorecard's switcher, the update form).
            "quarters": list(reversed(_plan_quarters(plan))),
            "default_quarter": _default_quarter(plan),
            "breadcrumbs": _crumbs(plan),
        },
    )


def plan_pdf(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EXPORT, slug)
    spec = DocumentSpec(Kind.PLAN, plan_id=plan.pk, user_id=request.user.pk)
    return _deliver(request, spec)


def programme_pdf(request, slug: str):
    """The programme report of a delivery plan (its delivery items; issue 15)."""
    plan = permissions.plan_for(request.user, Action.EXPORT, slug)
    if not selectors.has_delivery_items(plan.pk):
        raise Http404("This plan has no programmes to report on.")
    spec = DocumentSpec(Kind.PROGRAMME, plan_id=plan.pk, user_id=request.user.pk)
    return _deliver(request, spec)


def scorecard_pdf(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EXPORT, slug)
    text = request.GET.get("quarter", "").strip()
    if text:
        try:
            quarter = Quarter.parse(text)
        except ValueError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        if quarter not in _plan_quarters(plan):
            return HttpResponseBadRequest(
                f"{quarter.key} is not a quarter of {plan}.",
                content_type="text/plain; charset=utf-8",
            )
    else:
        quarter = _default_quarter(plan)
    spec = DocumentSpec(
        Kind.SCORECARD, plan_id=plan.pk, quarter=quarter.key, user_id=request.user.pk
    )
    return _deliver(request, spec)


def actions_pdf(request):
    """The objectives table as filtered on screen (the same query string), as a PDF."""
    allowed = permissions.organisation_ids_where(request.user, Action.EXPORT)
    if not allowed:
        raise PermissionDenied("Your role does not allow exports.")
    try:
        filterset = selectors.filtered_objectives(request.user, request.GET)
    except selectors.InvalidFilters as error:
        if error.names_unknown_record:
            raise Http404("No such record.") from error
        return HttpResponseBadRequest(
            f"The filters are not valid: {error}", content_type="text/plain; charset=utf-8"
        )
    plan = filterset.form.cleaned_data.get("plan") if filterset.is_bound else None
    if plan is not None:
        # One plan asked for: its organisation must allow the export.
        permissions.require_plan(request.user, Action.EXPORT, plan)
        allowed = [plan.organisation_id]
    spec = DocumentSpec(
        Kind.ACTIONS,
        plan_id=plan.pk if plan else None,
        query=normalise_query(request.GET),
        org_ids=tuple(allowed),
        user_id=request.user.pk,
    )
    return _deliver(request, spec)


def _deliver(request, spec: DocumentSpec):
    """The PDF now (cached or small) or a status page to wait on (big)."""
    fp = fingerprint(spec)
    hit = exports.cached(spec, fp)
    if hit is not None:
        return _file_response(hit, hit.filename)
    if exports.size_of(spec, request.user) > exports.background_threshold():
        result = export_document.enqueue(spec.to_dict())
        if result.status == TaskResultStatus.FAILED:  # an immediate backend ran it already
            return _failed(request, spec, _task_error(result))
        ticket = {"spec": spec.to_dict(), "fp": fp, "task": str(result.id)}
        token = signing.dumps(ticket, salt=TICKET_SALT, compress=True)
        return redirect("documents:status", token=token)
    try:
        export = exports.get_or_render(spec, fp)
    except RenderError as error:
        logger.warning("PDF export of %s failed: %s", spec, error)
        return _failed(request, spec, str(error))
    return _file_response(export, export.filename)


def _file_response(export: exports.Export, filename: str):
    response = FileResponse(
        export.open(), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def _failed(request, spec: DocumentSpec, message: str):
    return TemplateResponse(
        request,
        "reporting/pdf/pages/export_status.html",
        {
            "state": ExportState("failed", message=message),
            "spec": spec,
            "again_url": _again_url(spec),
            "breadcrumbs": _crumbs(),
        },
        status=503,
    )


# ---------------------------------------------------------------------------------------------
# Background exports: status and download
# ---------------------------------------------------------------------------------------------


class ExportState:
    """Where a background export stands: queued, running, ready or failed."""

    LABELS = {
        "queued": "Waiting for the export worker",
        "running": "Being prepared",
        "ready": "Ready to download",
        "failed": "The export failed",
    }

    def __init__(self, status, *, export=None, pages=None, started=None, message=""):
        self.status = status
        self.export = export
        self.pages = pages
        self.started = started
        self.message = message

    @property
    def label(self) -> str:
        return self.LABELS[self.status]

    @property
    def pending(self) -> bool:
        return self.status in ("queued", "running")

    @property
    def size_kb(self) -> int | None:
        if self.export is None:
            return None
        return max(1, round(exports.storage().size(self.export.name) / 1024))

    @property
    def seconds(self) -> int | None:
        if self.started is None:
            return None
        return int((timezone.now() - self.started).total_seconds())


def _ticket(request, token: str) -> tuple[DocumentSpec, dict]:
    """The ticket in the URL, for this user only, who must still be allowed the document."""
    try:
        ticket = signing.loads(token, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
        spec = DocumentSpec.from_dict(ticket["spec"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise Http404("No such export.") from error
    if spec.user_id != request.user.pk:
        raise Http404("No such export.")
    check_spec(request.user, spec)
    return spec, ticket


def _task_error(result) -> str:
    errors = getattr(result, "errors", None) or []
    if not errors:
        return "The export failed."
    name = errors[-1].exception_class_path.rsplit(".", 1)[-1]
    if name == "RenderTimeout":
        return "The PDF took too long to produce and was stopped."
    if name == "RenderMemoryError":
        return "The PDF needed more memory than an export may use."
    return "The PDF could not be produced."


def _state(spec: DocumentSpec, ticket: dict) -> ExportState:
    fp = ticket["fp"]
    result = None
    backend = export_document.get_backend()
    if ticket.get("task") and backend.supports_get_result:
        try:
            result = export_document.get_result(ticket["task"])
        except TaskException:
            result = None
    pages = None
    if result is not None:
        if result.status == TaskResultStatus.FAILED:
            return ExportState("failed", message=_task_error(result))
        if result.status == TaskResultStatus.SUCCESSFUL:
            value = result.return_value or {}
            fp = value.get("fingerprint", fp)
            pages = value.get("pages")
        elif result.status == TaskResultStatus.RUNNING:
            return ExportState("running", started=result.started_at)
        else:
            return ExportState("queued")
    export = exports.cached(spec, fp)
    if export is not None:
        return ExportState("ready", export=export, pages=pages)
    if result is not None and result.status == TaskResultStatus.SUCCESSFUL:
        return ExportState("failed", message="The file has been removed: export it again.")
    return ExportState("queued")


def _again_url(spec: DocumentSpec) -> str:
    if spec.kind == Kind.ACTIONS:
        url = reverse("documents:actions_pdf")
        return f"{url}?{spec.query}" if spec.query else url
    plan = Plan.objects.filter(pk=spec.plan_id).only("slug").first()
    if plan is None:
        return reverse("planning:home")
    if spec.kind == Kind.SCORECARD:
        return reverse("documents:scorecard_pdf", args=[plan.slug]) + f"?quarter={spec.quarter}"
    if spec.kind == Kind.PROGRAMME:
        return reverse("documents:programme_pdf", args=[plan.slug])
    return reverse("documents:plan_pdf", args=[plan.slug])


def export_status(request, token: str):
    spec, ticket = _ticket(request, token)
    state = _state(spec, ticket)
    plan = Plan.objects.filter(pk=spec.plan_id).first() if spec.plan_id else None
    context = {
        "state": state,
        "spec": spec,
        "plan": plan,
        "token": token,
        "poll_seconds": POLL_SECONDS,
        "again_url": _again_url(spec),
        "breadcrumbs": _crumbs(plan),
    }
    template = (
        "reporting/pdf/pages/_status_panel.html"
        if request.htmx
        else "reporting/pdf/pages/export_status.html"
    )
    return TemplateResponse(request, template, context)


def export_download(request, token: str):
    spec, ticket = _ticket(request, token)
    state = _state(spec, ticket)
    if state.status != "ready":
        return redirect("documents:status", token=token)
    return _file_response(state.export, exports.download_name(spec))
