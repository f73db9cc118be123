"""The competency framework and gap analysis pages.

Who may (planning.permissions, the one place): everyone in the organisation reads; planners and
administrators (EDIT_PLAN) define frameworks, competencies and targets and keep gap analyses;
assessments are recorded by planners and, where the framework's planner allows it, by managers
(contributors) too (permissions.require_assessment). Another organisation's record is 404, a
member without the right 403. Writes go through frameworks.services.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from frameworks import imports, selectors, services
from frameworks.forms import (
    AssessmentForm,
    CompetencyForm,
    DimensionForm,
    FrameworkForm,
    GapAnalysisCreateForm,
    GapAnalysisForm,
    TargetEditForm,
    TargetForm,
)
from frameworks.models import (
    Assessment,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from planning import idempotency, lifecycle, permissions
from planning.concurrency import StaleEditError
from planning.forms import VersionForm, add_errors
from planning.models import Organisation
from planning.permissions import Action
from planning.spreadsheets import neutralise

# --- finding records, with the permission check ----------------------------------------------


def _organisation(request, slug: str, action: Action) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    permissions.require(request.user, action, organisation.pk)
    return organisation


def _framework(request, pk: int, action: Action | None) -> Framework:
    framework = get_object_or_404(Framework.objects.select_related("organisation"), pk=pk)
    if action is None:  # recording assessments: the framework's own rule
        permissions.require_assessment(
            request.user,
            framework.organisation_id,
            contributors_may=framework.contributors_may_assess,
        )
    else:
        permissions.require(request.user, action, framework.organisation_id)
    return framework


def _analysis(request, pk: int, action: Action) -> GapAnalysis:
    analysis = get_object_or_404(
        GapAnalysis.objects.select_related("plan", "plan__organisation"), pk=pk
    )
    permissions.require(request.user, action, analysis.plan.organisation_id)
    return analysis


def _competency(request, pk: int) -> Competency:
    """The competency if the user may change its framework (EDIT_PLAN: 404 elsewhere, 403)."""
    competency = get_object_or_404(
        Competency.objects.select_related("framework", "framework__organisation"), pk=pk
    )
    permissions.require(request.user, Action.EDIT_PLAN, competency.framework.organisation_id)
    return competency


def _may_assess(request, framework: Framework) -> bool:
    return permissions.may_record_assessment(
        request.user, framework.organisation_id, contributors_may=framework.contributors_may_assess
    )


def _crumbs(*items) -> list[dict]:
    return [{"text": "Home", "href": reverse("planning:home")}, *items]


def _org_crumb(organisation) -> dict:
    return {
        "text": f"{organisation.display_name} frameworks",
        "href": reverse("frameworks:list", args=[organisation.slug]),
    }


def _framework_crumbs(framework) -> list[dict]:
    return _crumbs(
        _org_crumb(framework.organisation),
        {"text": framework.name, "href": framework.get_absolute_url()},
    )


def _gap_crumbs(plan, analysis=None) -> list[dict]:
    crumbs = _crumbs(
        {"text": str(plan), "href": plan.get_absolute_url()},
        {"text": "Gap analyses", "href": reverse("frameworks:gap_list", args=[plan.slug])},
    )
    if analysis is not None:
        crumbs.append({"text": analysis.title, "href": analysis.get_absolute_url()})
    return crumbs


# --- one way of handling every form ----------------------------------------------------------


def _form_page(
    request,
    *,
    make_form,
    save,
    done_url: str,
    done_message: str,
    heading: str,
    caption: str,
    breadcrumbs: list[dict],
    cancel_url: str,
    intro: str = "",
    extra: dict | None = None,
):
    """GET: the form. POST: saved through ``save(form)`` and back to ``done_url``; or the form
    again with every problem next to its field (400), or the stale-edit message (409)."""
    form = make_form(request.POST or None)
    stale = None
    if request.method == "POST":
        if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
            return redirect(done_url)
        if form.is_valid():
            try:
                save(form)
            except idempotency.DuplicateSubmission:
                return redirect(done_url)
            except StaleEditError as error:
                stale = {"message": str(error), "current": str(error.current)}
                data = request.POST.copy()
                data["version"] = error.current.version  # saving again: "mine still stands"
                form = make_form(data)
                form.is_valid()
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, done_message)
                return redirect(done_url)
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "frameworks/form.html",
        {
            "form": form,
            "stale": stale,
            "page_heading": heading,
            "caption": caption,
            "breadcrumbs": breadcrumbs,
            "cancel_url": cancel_url,
            "intro": intro,
            **(extra or {}),
        },
        status=status,
    )


def _version(form) -> int | None:
    return form.cleaned_data.get("version")


# --- frameworks ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def framework_list(request, slug: str):
    organisation = _organisation(request, slug, Action.VIEW)
    return TemplateResponse(
        request,
        "frameworks/list.html",
        {
            "organisation": organisation,
            "frameworks": selectors.frameworks_of(organisation.pk),
            "can_edit": permissions.has_permission(request.user, Action.EDIT_PLAN, organisation.pk),
            "breadcrumbs": _crumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
def framework_create(request, slug: str):
    organisation = _organisation(request, slug, Action.EDIT_PLAN)
    created = {}

    def save(form):
        created["framework"] = services.framework_create(
            organisation=organisation,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data["submission_token"],
        )

    list_url = reverse("frameworks:list", args=[organisation.slug])
    return _form_page(
        request,
        make_form=lambda data: FrameworkForm(data, organisation=organisation),
        save=save,
        done_url=list_url,
        done_message="The framework has been added: add its competencies next.",
        heading="Add a competency or maturity framework",
        caption=organisation.name,
        breadcrumbs=_crumbs(_org_crumb(organisation)),
        cancel_url=list_url,
        intro="For example ten competencies assessed on levels 1 to 4. You add the "
        "competencies, with what each level looks like, on the framework's page.",
    )


@require_http_methods(["GET"])
def framework_detail(request, pk: int):
    framework = _framework(request, pk, Action.VIEW)
    page = selectors.framework_page(framework, today=timezone.localdate())
    organisation_id = framework.organisation_id
    return TemplateResponse(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "page": page,
            "can_edit": permissions.has_permission(request.user, Action.EDIT_PLAN, organisation_id),
            "can_assess": _may_assess(request, framework),
            "can_export": permissions.has_permission(request.user, Action.EXPORT, organisation_id),
            "breadcrumbs": _crumbs(_org_crumb(framework.organisation)),
        },
    )


@require_http_methods(["GET", "POST"])
def framework_edit(request, pk: int):
    framework = _framework(request, pk, Action.EDIT_PLAN)
    initial = {
        "name": framework.name,
        "description": framework.description,
        "level_names": "\n".join(framework.level_names),
        "contributors_may_assess": framework.contributors_may_assess,
        "plans": list(framework.plans.all()),
    }

    def save(form):
        services.framework_update(
            framework_id=framework.pk,
            organisation=framework.organisation,
            by=request.user,
            expected_version=_version(form),
            data=form.service_data(),
        )

    return _form_page(
        request,
        make_form=lambda data: FrameworkForm(
            data, organisation=framework.organisation, initial=initial, version=framework.version
        ),
        save=save,
        done_url=framework.get_absolute_url(),
        done_message="The framework has been saved.",
        heading="Edit the framework",
        caption=framework.name,
        breadcrumbs=_framework_crumbs(framework),
        cancel_url=framework.get_absolute_url(),
    )


# --- competencies ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def competency_create(request, pk: int):
    framework = _framework(request, pk, Action.EDIT_PLAN)

    def save(form):
        services.competency_create(
            framework=framework,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data["submission_token"],
        )

    return _form_page(
        request,
        make_form=lambda data: CompetencyForm(data, framework=framework),
        save=save,
        done_url=framework.get_absolute_url(),
        done_message="The competency has been added.",
        heading="Add a competency",
        caption=framework.name,
        breadcrumbs=_framework_crumbs(framework),
        cancel_url=framework.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def competency_edit(request, pk: int):
    competency = _competency(request, pk)
    framework = competency.framework
    initial = {
        "name": competency.name,
        "description": competency.description,
        "programmes": list(competency.programmes.all()),
        "objectives": list(competency.objectives.all()),
        **{f"descriptor_{level}": competency.descriptor(level) for level, _ in framework.levels},
    }

    def save(form):
        services.competency_update(
            competency_id=competency.pk,
            framework=framework,
            by=request.user,
            expected_version=_version(form),
            data=form.service_data(),
        )

    return _form_page(
        request,
        make_form=lambda data: CompetencyForm(
            data, framework=framework, initial=initial, version=competency.version
        ),
        save=save,
        done_url=framework.get_absolute_url(),
        done_message="The competency has been saved.",
        heading=f"Edit competency {competency.number}",
        caption=framework.name,
        breadcrumbs=_framework_crumbs(framework),
        cancel_url=framework.get_absolute_url(),
    )


# --- assessments -----------------------------------------------------------------------------


@require_http_methods(["GET"])
def assessment_list(request, pk: int):
    framework = _framework(request, pk, Action.VIEW)
    return TemplateResponse(
        request,
        "frameworks/assessments.html",
        {
            "framework": framework,
            "rows": selectors.assessments_page(framework),
            "can_assess": _may_assess(request, framework),
            "can_export": permissions.has_permission(
                request.user, Action.EXPORT, framework.organisation_id
            ),
            "breadcrumbs": _framework_crumbs(framework),
        },
    )


def _assessments_url(framework) -> str:
    return reverse("frameworks:assessments", args=[framework.pk])


@require_http_methods(["GET", "POST"])
def assessment_create(request, pk: int):
    framework = _framework(request, pk, None)
    competencies = list(framework.competencies.all())

    def save(form):
        services.assessment_record(
            framework=framework,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data["submission_token"],
        )

    return _form_page(
        request,
        make_form=lambda data: AssessmentForm(data, framework=framework, competencies=competencies),
        save=save,
        done_url=_assessments_url(framework),
        done_message="The assessment has been recorded.",
        heading="Record an assessment",
        caption=framework.name,
        breadcrumbs=_framework_crumbs(framework),
        cancel_url=_assessments_url(framework),
        extra={"levels": framework.levels},
    )


@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk: int):
    assessment = get_object_or_404(
        Assessment.objects.select_related("framework", "framework__organisation"), pk=pk
    )
    framework = assessment.framework
    permissions.require_assessment(
        request.user, framework.organisation_id, contributors_may=framework.contributors_may_assess
    )
    competencies = list(framework.competencies.all())
    initial = {
        "assessed_on": assessment.assessed_on,
        "kind": assessment.kind,
        "assessor": assessment.assessor,
        "evidence": assessment.evidence,
        **{services.score_field(s.competency_id): s.level for s in assessment.scores.all()},
    }

    def save(form):
        services.assessment_update(
            assessment_id=assessment.pk,
            framework=framework,
            by=request.user,
            expected_version=_version(form),
            data=form.service_data(),
        )

    return _form_page(
        request,
        make_form=lambda data: AssessmentForm(
            data,
            framework=framework,
            competencies=competencies,
            initial=initial,
            version=assessment.version,
        ),
        save=save,
        done_url=_assessments_url(framework),
        done_message="The assessment has been saved.",
        heading=f"Edit the assessment of {assessment.assessed_on:%-d %B %Y}",
        caption=framework.name,
        breadcrumbs=_framework_crumbs(framework),
        cancel_url=_assessments_url(framework),
        extra={"levels": framework.levels},
    )


@require_http_methods(["GET"])
def assessment_export(request, pk: int):
    """Every score of every assessment as CSV, in the columns the import reads back."""
    framework = _framework(request, pk, Action.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(framework.name)[:60] or "framework"
    response["Content-Disposition"] = f'attachment; filename="{name}-assessments.csv"'
    writer = csv.writer(response)
    writer.writerow([c.title for c in imports.LAYOUT.columns])
    for row in imports.export_rows(framework):
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    return response


@require_http_methods(["GET", "POST"])
def assessment_import(request, pk: int):
    framework = _framework(request, pk, None)
    form = imports.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.import_assessments(framework, form.parsed, by=request.user)
        if result.ok:
            messages.success(request, f"Assessments imported: {result}.")
            return redirect(_assessments_url(framework))
    status = 400 if (form.errors or (result and not result.ok)) else 200
    return TemplateResponse(
        request,
        "frameworks/import.html",
        {
            "framework": framework,
            "form": form,
            "result": result,
            "layout": imports.LAYOUT,
            "breadcrumbs": _framework_crumbs(framework),
        },
        status=status,
    )


# --- targets ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def target_create(request, pk: int):
    framework = _framework(request, pk, Action.EDIT_PLAN)
    competencies = list(framework.competencies.all())

    def save(form):
        services.targets_set(
            framework=framework,
            by=request.user,
            competencies=form.chosen(),
            target_date=form.cleaned_data["target_date"],
            level=form.cleaned_data["level"],
            submission_token=form.cleaned_data["submission_token"],
        )

    return _form_page(
        request,
        make_form=lambda data: TargetForm(data, framework=framework, competencies=competencies),
        save=save,
        done_url=framework.get_absolute_url(),
        done_message="The target has been set.",
        heading="Set a target",
        caption=framework.name,
        breadcrumbs=_framework_crumbs(framework),
        cancel_url=framework.get_absolute_url(),
        intro="For example “at least level 2 in all competencies by 31 March 2010”: choose "
        "all competencies. A competency that already has a target on that date has it changed.",
    )


@require_http_methods(["GET", "POST"])
def target_edit(request, pk: int):
    target = get_object_or_404(
        CompetencyTarget.objects.select_related(
            "competency", "competency__framework", "competency__framework__organisation"
        ),
        pk=pk,
    )
    framework = target.competency.framework
    permissions.require(request.user, Action.EDIT_PLAN, framework.organisation_id)
    initial = {"target_date": target.target_date, "level": target.level}

    def save(form):
        services.target_update(
            target_id=target.pk,
            framework=framework,
            by=request.user,
            expected_version=_version(form),
            data=form.cleaned_data,
        )

    return _form_page(
        request,
        make_form=lambda data: TargetEditForm(data, initial=initial, version=target.version),
        save=save,
        done_url=framework.get_absolute_url(),
        done_message="The target has been saved.",
        heading=f"Edit a target: {target.competency.name}",
        caption=framework.name,
        breadcrumbs=_framework_crumbs(framework),
        cancel_url=framework.get_absolute_url(),
    )


# --- gap analysis ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def gap_list(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    return TemplateResponse(
        request,
        "frameworks/gap_list.html",
        {
            "plan": plan,
            "analyses": selectors.gap_analyses_of(plan),
            "can_edit": permissions.has_permission(
                request.user, Action.EDIT_PLAN, plan.organisation_id
            )
            and lifecycle.is_editable(plan),
            "breadcrumbs": _crumbs({"text": str(plan), "href": plan.get_absolute_url()}),
        },
    )


@require_http_methods(["GET", "POST"])
def gap_create(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EDIT_PLAN, slug)
    list_url = reverse("frameworks:gap_list", args=[plan.slug])
    created = {}

    def save(form):
        created["analysis"] = services.gap_analysis_create(
            plan=plan,
            by=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            seven_s=form.cleaned_data["dimensions"] == "7s",
            submission_token=form.cleaned_data["submission_token"],
        )

    response = _form_page(
        request,
        make_form=lambda data: GapAnalysisCreateForm(data),
        save=save,
        done_url=list_url,
        done_message="The gap analysis has been added.",
        heading="Add a gap analysis",
        caption=str(plan),
        breadcrumbs=_gap_crumbs(plan),
        cancel_url=list_url,
    )
    if "analysis" in created:
        return redirect(created["analysis"].get_absolute_url())
    return response


@require_http_methods(["GET"])
def gap_detail(request, pk: int):
    analysis = get_object_or_404(selectors.with_dimensions(GapAnalysis.objects.all()), pk=pk)
    permissions.require(request.user, Action.VIEW, analysis.plan.organisation_id)
    plan = analysis.plan
    return TemplateResponse(
        request,
        "frameworks/gap_detail.html",
        {
            "analysis": analysis,
            "plan": plan,
            "dimensions": list(analysis.dimensions.all()),
            "can_edit": permissions.has_permission(
                request.user, Action.EDIT_PLAN, plan.organisation_id
            )
            and lifecycle.is_editable(plan),
            "breadcrumbs": _gap_crumbs(plan),
        },
    )


@require_http_methods(["GET", "POST"])
def gap_edit(request, pk: int):
    analysis = _analysis(request, pk, Action.EDIT_PLAN)
    plan = analysis.plan
    initial = {"title": analysis.title, "description": analysis.description}

    def save(form):
        services.gap_analysis_update(
            analysis_id=analysis.pk,
            plan=plan,
            by=request.user,
            expected_version=_version(form),
            data=form.cleaned_data,
        )

    return _form_page(
        request,
        make_form=lambda data: GapAnalysisForm(data, initial=initial, version=analysis.version),
        save=save,
        done_url=analysis.get_absolute_url(),
        done_message="The gap analysis has been saved.",
        heading="Edit the gap analysis",
        caption=str(plan),
        breadcrumbs=_gap_crumbs(plan, analysis),
        cancel_url=analysis.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def dimension_create(request, pk: int):
    analysis = _analysis(request, pk, Action.EDIT_PLAN)
    plan = analysis.plan

    def save(form):
        services.dimension_create(
            analysis=analysis,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data["submission_token"],
        )

    return _form_page(
        request,
        make_form=lambda data: DimensionForm(data, plan=plan),
        save=save,
        done_url=analysis.get_absolute_url(),
        done_message="The dimension has been added.",
        heading="Add a dimension",
        caption=analysis.title,
        breadcrumbs=_gap_crumbs(plan, analysis),
        cancel_url=analysis.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def dimension_edit(request, pk: int):
    dimension = get_object_or_404(
        GapDimension.objects.select_related(
            "analysis", "analysis__plan", "analysis__plan__organisation"
        ),
        pk=pk,
    )
    analysis = dimension.analysis
    plan = analysis.plan
    permissions.require(request.user, Action.EDIT_PLAN, plan.organisation_id)
    initial = {
        "name": dimension.name,
        "current_state": dimension.current_state,
        "desired_state": dimension.desired_state,
        "actions": list(dimension.actions.all()),
    }

    def save(form):
        services.dimension_update(
            dimension_id=dimension.pk,
            analysis=analysis,
            by=request.user,
            expected_version=_version(form),
            data=form.service_data(),
        )

    return _form_page(
        request,
        make_form=lambda data: DimensionForm(
            data, plan=plan, initial=initial, version=dimension.version
        ),
        save=save,
        done_url=analysis.get_absolute_url(),
        done_message="The dimension has been saved.",
        heading=f"Edit the dimension: {dimension.name}",
        caption=analysis.title,
        breadcrumbs=_gap_crumbs(plan, analysis),
        cancel_url=analysis.get_absolute_url(),
    )


# --- deleting --------------------------------------------------------------------------------


def _delete_page(
    request, *, record, what, caption, delete, done_url, breadcrumbs, refusal=None, also=""
):
    """Confirm, then delete through ``delete(expected_version)``. ``refusal``: why it cannot
    be deleted (what still refers to it), shown instead of the button and refused on a post
    (400); the service checks again, so a reference added meanwhile is refused too. A stale
    page: 409, nothing deleted."""
    form = VersionForm(request.POST or None, initial={"version": record.version})
    stale = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            delete(form.cleaned_data["version"])
        except StaleEditError as error:
            stale = str(error)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, f"The {what} has been deleted.")
            return redirect(done_url)
    if stale:
        status = 409
    elif request.method == "POST" and (refusal or form.errors):
        status = 400
    else:
        status = 200
    return TemplateResponse(
        request,
        "frameworks/delete.html",
        {
            "form": form,
            "record": record,
            "what": what,
            "refusal": refusal,
            "stale": stale,
            "also": also,
            "page_heading": f"Delete the {what}?",
            "caption": caption,
            "cancel_url": done_url,
            "breadcrumbs": breadcrumbs,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def assessment_delete(request, pk: int):
    assessment = get_object_or_404(
        Assessment.objects.select_related("framework", "framework__organisation"), pk=pk
    )
    framework = assessment.framework
    permissions.require_assessment(
        request.user, framework.organisation_id, contributors_may=framework.contributors_may_assess
    )
    return _delete_page(
        request,
        record=assessment,
        what="assessment",
        caption=framework.name,
        delete=lambda version: services.assessment_delete(
            assessment_id=assessment.pk,
            framework=framework,
            by=request.user,
            expected_version=version,
        ),
        done_url=_assessments_url(framework),
        breadcrumbs=_framework_crumbs(framework),
    )


@require_http_methods(["GET", "POST"])
def target_delete(request, pk: int):
    target = get_object_or_404(
        CompetencyTarget.objects.select_related(
            "competency", "competency__framework", "competency__framework__organisation"
        ),
        pk=pk,
    )
    framework = target.competency.framework
    permissions.require(request.user, Action.EDIT_PLAN, framework.organisation_id)
    return _delete_page(
        request,
        record=target,
        what="target",
        caption=framework.name,
        delete=lambda version: services.target_delete(
            target_id=target.pk, framework=framework, by=request.user, expected_version=version
        ),
        done_url=framework.get_absolute_url(),
        breadcrumbs=_framework_crumbs(framework),
    )


@require_http_methods(["GET", "POST"])
def framework_delete(request, pk: int):
    framework = _framework(request, pk, Action.EDIT_PLAN)
    organisation = framework.organisation
    return _delete_page(
        request,
        record=framework,
        what="framework",
        caption=organisation.name,
        refusal=services.framework_delete_refusal(framework),
        delete=lambda version: services.framework_delete(
            framework_id=framework.pk,
            organisation=organisation,
            by=request.user,
            expected_version=version,
        ),
        done_url=reverse("frameworks:list", args=[organisation.slug]),
        breadcrumbs=_framework_crumbs(framework),
    )


@require_http_methods(["GET", "POST"])
def competency_delete(request, pk: int):
    competency = _competency(request, pk)
    framework = competency.framework
    return _delete_page(
        request,
        record=competency,
        what="competency",
        caption=framework.name,
        refusal=services.competency_delete_refusal(competency),
        also="The other competencies keep their numbers.",
        delete=lambda version: services.competency_delete(
            competency_id=competency.pk,
            framework=framework,
            by=request.user,
            expected_version=version,
        ),
        done_url=framework.get_absolute_url(),
        breadcrumbs=_framework_crumbs(framework),
    )


@require_POST
def competency_move(request, pk: int):
    """Move a competency up or down the framework, from a button (no JavaScript needed)."""
    competency = _competency(request, pk)
    framework = competency.framework
    back = f"{framework.get_absolute_url()}#competency-{competency.pk}"
    form = VersionForm(request.POST)
    direction = request.POST.get("direction")
    if not form.is_valid() or direction not in ("up", "down"):
        messages.error(request, "The competency was not moved: reload the page and try again.")
        return redirect(back)
    try:
        moved = services.competency_move(
            competency_id=competency.pk,
            framework=framework,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            direction=direction,
        )
    except StaleEditError as error:
        messages.error(request, f"The competency was not moved. {error}")
    except ValidationError as error:
        messages.error(request, f"The competency was not moved. {error.messages[0]}")
    else:
        if moved:
            messages.success(request, f"“{competency.name}” has been moved {direction}.")
        else:
            place = "first" if direction == "up" else "last"
            messages.info(request, f"“{competency.name}” is already {place}.")
    return redirect(back)


@require_http_methods(["GET", "POST"])
def gap_delete(request, pk: int):
    analysis = _analysis(request, pk, Action.EDIT_PLAN)
    plan = analysis.plan
    count = analysis.dimensions.count()
    return _delete_page(
        request,
        record=analysis,
        what="gap analysis",
        caption=str(plan),
        refusal=_locked(plan),
        also=f"Its {count} dimension{'' if count == 1 else 's'} will be deleted with it."
        if count
        else "",
        delete=lambda version: services.gap_analysis_delete(
            analysis_id=analysis.pk, plan=plan, by=request.user, expected_version=version
        ),
        done_url=reverse("frameworks:gap_list", args=[plan.slug]),
        breadcrumbs=_gap_crumbs(plan, analysis),
    )


@require_http_methods(["GET", "POST"])
def dimension_delete(request, pk: int):
    dimension = get_object_or_404(
        GapDimension.objects.select_related(
            "analysis", "analysis__plan", "analysis__plan__organisation"
        ),
        pk=pk,
    )
    analysis = dimension.analysis
    plan = analysis.plan
    permissions.require(request.user, Action.EDIT_PLAN, plan.organisation_id)
    return _delete_page(
        request,
        record=dimension,
        what="dimension",
        caption=analysis.title,
        refusal=_locked(plan),
        delete=lambda version: services.dimension_delete(
            dimension_id=dimension.pk, analysis=analysis, by=request.user, expected_version=version
        ),
        done_url=analysis.get_absolute_url(),
        breadcrumbs=_gap_crumbs(plan, analysis),
    )


def _locked(plan) -> str | None:
    """Why the plan's content cannot change now (planning.lifecycle), or None."""
    try:
        lifecycle.require_editable(plan)
    except ValidationError as error:
        return " ".join(error.messages)
    return None
