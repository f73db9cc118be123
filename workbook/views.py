"""The plan workbook's pages: download a plan or the blank template; upload a workbook, see
its problems or a preview of what it holds, and confirm it as a new draft plan.

Who may: planners and administrators (Action.EXCHANGE_WORKBOOK); a member of another
organisation gets 404, a member without the right 403 (planning.permissions).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from planning.concurrency import StaleEditError
from planning.models import Organisation
from planning.permissions import Action, may_anywhere, plan_for, require
from planning.spreadsheets.files import ImportFileError, check_upload
from workbook import export, updating
from workbook.forms import ConfirmForm, UploadForm
from workbook.importing import check_workbook, import_workbook
from workbook.models import PendingImport


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=export.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def plan_download(request, slug: str):
    plan = plan_for(request.user, Action.EXCHANGE_WORKBOOK, slug)
    return _xlsx(export.plan_workbook(plan), export.filename(plan))


@require_GET
def template_download(request):
    if not may_anywhere(request.user, Action.EXCHANGE_WORKBOOK):
        raise PermissionDenied("Only planners and administrators can import plans.")
    return _xlsx(export.plan_workbook(None), export.filename(None))


def _organisation(request, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, Action.EXCHANGE_WORKBOOK, organisation.pk)
    return organisation


def _crumbs(organisation: Organisation) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": organisation.display_name},
    ]


@require_http_methods(["GET", "POST"])
def import_upload(request, organisation: str):
    org = _organisation(request, organisation)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Refused before it is read: the reader checks the size again, and the archive.
            check_upload(upload.name, upload.size)
            content = upload.read()
            loader = check_workbook(upload.name, content, org)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            problems = loader.problems
            if not problems:
                pending = _keep(request, org, upload.name, content, loader.counts)
                return redirect(
                    "workbook:import_preview", organisation=org.slug, token=pending.token
                )
    status = 400 if form.errors or problems else 200
    return TemplateResponse(
        request,
        "workbook/import.html",
        {
            "organisation": org,
            "form": form,
            "problems": problems,
            "breadcrumbs": _crumbs(org),
        },
        status=status,
    )


@transaction.atomic
def _keep(request, org, name: str, content: bytes, counts) -> PendingImport:
    PendingImport.objects.expired().delete()
    PendingImport.objects.filter(organisation=org, user=request.user).delete()
    return PendingImport.objects.create(
        organisation=org,
        user=request.user,
        name=name[:200],
        content=content,
        counts=[list(c) for c in counts],
    )


@require_http_methods(["GET", "POST"])
def import_preview(request, organisation: str, token: str):
    org = _organisation(request, organisation)
    pending = (
        PendingImport.objects.live()
        .filter(organisation=org, user=request.user, token=token[:64])
        .first()
    )
    if pending is None:
        raise Http404("This upload has expired or has been imported: upload it again.")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
            if locked is None:
                raise Http404("This upload has been imported already.")
            loader = import_workbook(locked.name, bytes(locked.content), org, by=request.user)
            problems = loader.problems
            if not problems:
                locked.delete()
        if not problems:
            messages.success(
                request, f"Imported “{loader.plan}” as a new draft plan ({loader.plan.slug})."
            )
            return redirect(loader.plan.get_absolute_url())
    return TemplateResponse(
        request,
        "workbook/preview.html",
        {
            "organisation": org,
            "pending": pending,
            "counts": pending.counts,
            "uploaded_at": timezone.localtime(pending.created_at),
            "form": form,
            "problems": problems,
            "breadcrumbs": _crumbs(org),
        },
        status=400 if problems else 200,
    )


# --- a workbook as the next version of an existing plan (workbook.updating) --------------------


def _plan_crumbs(plan) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(plan), "href": plan.get_absolute_url()},
    ]


@require_http_methods(["GET", "POST"])
def version_upload(request, slug: str):
    plan = plan_for(request.user, Action.EXCHANGE_WORKBOOK, slug)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    problems = []
    refused = updating.refusal(plan)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload.name, upload.size)
            content = upload.read()
            # Everything done and undone: the preview's counts are exactly what confirming does.
            loader = updating.import_version(
                upload.name, content, plan, by=request.user, dry_run=True
            )
        except (ImportFileError, updating.NotRefreshable) as error:
            form.add_error("file", str(error))
        except StaleEditError as error:
            form.add_error("file", str(error))
        else:
            problems = loader.problems
            if not problems:
                pending = _keep(request, plan.organisation, upload.name, content, loader.changes)
                pending.plan, pending.plan_version = plan, plan.version
                pending.save(update_fields=["plan", "plan_version"])
                return redirect("workbook:version_preview", slug=plan.slug, token=pending.token)
    return TemplateResponse(
        request,
        "workbook/version_import.html",
        {
            "plan": plan,
            "form": form,
            "refused": refused,
            "problems": problems,
            "breadcrumbs": _plan_crumbs(plan),
        },
        status=400 if form.errors or problems else 200,
    )


@require_http_methods(["GET", "POST"])
def version_preview(request, slug: str, token: str):
    plan = plan_for(request.user, Action.EXCHANGE_WORKBOOK, slug)
    pending = (
        PendingImport.objects.live().filter(plan=plan, user=request.user, token=token[:64]).first()
    )
    if pending is None:
        raise Http404("This upload has expired or has been imported: upload it again.")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    problems, error = [], ""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                locked = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
                if locked is None:
                    raise Http404("This upload has been imported already.")
                loader = updating.import_version(
                    locked.name,
                    bytes(locked.content),
                    plan,
                    by=request.user,
                    expected_version=locked.plan_version,
                )
                problems = loader.problems
                if not problems:
                    locked.delete()
        except (updating.NotRefreshable, StaleEditError) as refusal:
            error = str(refusal)
        else:
            if not problems:
                messages.success(
                    request,
                    f"Imported {pending.name} as the next version of “{plan}”: "
                    "the comparison below shows what it changed.",
                )
                return redirect("planning:plan_versions", slug=plan.slug)
    return TemplateResponse(
        request,
        "workbook/version_preview.html",
        {
            "plan": plan,
            "pending": pending,
            "counts": pending.counts,
            "uploaded_at": timezone.localtime(pending.created_at),
            "form": form,
            "problems": problems,
            "error": error,
            "breadcrumbs": _plan_crumbs(plan),
        },
        status=400 if problems or error else 200,
    )
