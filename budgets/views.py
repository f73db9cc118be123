"""Budget pages: the year's summary, line editing, monitoring, actuals, import, the partner
view and the savings programme.

Views stay thin: access from planning.permissions (the partner rule included), reads from
budgets.selectors, writes from budgets.services and budgets.imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from budgets import imports, monitoring, selectors, services
from budgets.forms import (
    ActualFormSet,
    ExpenditureFormSet,
    ImportForm,
    ImportKind,
    IncomeFormSet,
    MonthForm,
    SavingsSchemeForm,
    ServiceLineFormSet,
    ThresholdsForm,
    VersionForm,
    line_key,
)
from budgets.models import SavingsScheme
from objectives.models import Objective
from planning import fy, permissions
from planning.concurrency import StaleEditError
from planning.models import Organisation, Plan, Role
from planning.money import format_money
from planning.permissions import Action

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _plan(request, slug: str, *, edit: bool = False) -> Plan:
    """Reading a budget needs Action.VIEW; changing lines, actuals, thresholds or schemes
    needs Action.EDIT_PLAN (planners and administrators)."""
    return permissions.plan_for(request.user, Action.EDIT_PLAN if edit else Action.VIEW, slug)


def _year(plan: Plan, year: int) -> int:
    if year not in plan.financial_years:
        raise Http404("The plan does not cover that year.")
    return year


def _crumbs(plan: Plan | None = None, *items):
    crumbs = [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": "Budgets", "href": reverse("budgets:index")},
    ]
    if plan is not None:
        crumbs.append({"text": str(plan), "href": plan.get_absolute_url()})
    return [*crumbs, *items]


def _summary_crumb(plan: Plan, year: int) -> dict:
    return {
        "text": f"Budget {fy.fy_label(year)}",
        "href": reverse("budgets:summary", args=[plan.slug, year]),
    }


def _year_nav(plan: Plan, year: int, current: str) -> list[dict]:
    """The year's pages, for the secondary navigation."""
    items = [
        ("summary", "Budget summary", reverse("budgets:summary", args=[plan.slug, year])),
        ("monitoring", "Monthly monitoring", reverse("budgets:monitoring", args=[plan.slug, year])),
        ("savings", "Savings programme", reverse("budgets:savings", args=[plan.slug])),
    ]
    return [{"key": k, "text": t, "href": h, "current": k == current} for k, t, h in items]


def _context(request, plan: Plan, year: int | None, current: str, **extra) -> dict:
    context = {
        "plan": plan,
        "year": year,
        "year_label": fy.fy_label(year) if year is not None else "",
        "years": [(y, fy.fy_label(y)) for y in plan.financial_years],
        "can_edit": permissions.has_permission(
            request.user, Action.EDIT_PLAN, plan.organisation_id
        ),
        "year_nav": _year_nav(plan, year or plan.start_year, current),
    }
    context.update(extra)
    return context


def _attempted_line_changes(formset) -> list[str]:
    """The changes a refused formset asked for, in words, to be made again by hand."""
    changes = [f"Delete {formset.row_name(form)}" for form in formset.deleted_forms]
    for form in formset.forms_to_save():
        amount = format_money(form.cleaned_data.get("amount"))
        verb = "Change" if form.instance.pk else "Add"
        changes.append(f"{verb} {formset.row_name(form)}: {amount}")
    return changes


def _refuse(formset, error: ValidationError) -> None:
    """Show a write's refusal (raised after validation) above the formset."""
    formset._non_form_errors = formset.error_class(
        error.messages, error_class="nonform", renderer=formset.renderer
    )


def _version(request) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


# ---------------------------------------------------------------------------------------------
# Index and summary
# ---------------------------------------------------------------------------------------------


@require_GET
def index(request):
    return TemplateResponse(
        request,
        "budgets/index.html",
        {
            "index": selectors.budget_index(request.user),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
    )


@require_GET
def plan_budget(request, slug: str):
    """A plan's budget: its first year (the one a single-year plan has)."""
    plan = _plan(request, slug)
    return redirect("budgets:summary", plan.slug, plan.start_year)


@require_GET
def summary(request, slug: str, year: int):
    plan = _plan(request, slug)
    year = _year(plan, year)
    return TemplateResponse(
        request,
        "budgets/summary.html",
        _context(
            request,
            plan,
            year,
            "summary",
            summary=selectors.budget_summary_for(plan, year),
            breadcrumbs=_crumbs(plan),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Editing lines
# ---------------------------------------------------------------------------------------------

LINE_PAGES = {
    "income": {
        "formset": IncomeFormSet,
        "save": services.income_lines_save,
        "title": "Edit income",
        "lead": "Who pays for what: one line for each partner (or other client) and service line.",
    },
    "expenditure": {
        "formset": ExpenditureFormSet,
        "save": services.expenditure_lines_save,
        "title": "Edit expenditure",
        "lead": "Budget lines under the manager responsible for each.",
    },
}


@require_http_methods(["GET", "POST"])
def lines_edit(request, slug: str, year: int, kind: str):
    plan = _plan(request, slug, edit=True)
    year = _year(plan, year)
    page = LINE_PAGES[kind]
    FormSet = page["formset"]  # noqa: N806
    stale, attempted = None, []
    version = selectors.year_version(plan, year).version
    if request.method == "POST":
        formset = FormSet(request.POST, plan=plan, financial_year=year, prefix=kind)
        expected = _version(request)
        if expected is None:
            stale = services.STALE_LINES
        elif formset.is_valid():
            try:
                changed = page["save"](
                    plan=plan,
                    financial_year=year,
                    deleted=formset.deleted_pks(),
                    saved=formset.saved_values(),
                    expected_version=expected,
                    by=request.user,
                )
            except StaleEditError as error:
                stale = str(error)
                attempted = _attempted_line_changes(formset)
            except ValidationError as error:
                _refuse(formset, error)
            else:
                messages.success(
                    request,
                    f"Your changes to the {kind} have been saved."
                    if changed
                    else "Nothing had changed, so nothing was saved.",
                )
                return redirect("budgets:summary", plan.slug, year)
        else:
            version = expected if expected is not None else version
        if stale:
            # Their changes were measured against figures that have since changed: applying
            # them now could undo the other person's. Show the figures as they are now.
            version = selectors.year_version(plan, year).version
            formset = FormSet(plan=plan, financial_year=year, prefix=kind)
    else:
        formset = FormSet(plan=plan, financial_year=year, prefix=kind)
    context = _context(
        request,
        plan,
        year,
        "summary",
        formset=formset,
        kind=kind,
        page=page,
        version=version,
        stale=stale,
        attempted=attempted,
        summary=selectors.budget_summary_for(plan, year) if stale else None,
        breadcrumbs=_crumbs(plan, _summary_crumb(plan, year)),
    )
    status = 409 if stale else (400 if request.method == "POST" else 200)
    return TemplateResponse(request, "budgets/lines_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def service_lines_edit(request, slug: str):
    plan = _plan(request, slug, edit=True)
    stale = None
    version = selectors.budget_settings(plan).version
    if request.method == "POST":
        formset = ServiceLineFormSet(request.POST, plan=plan, prefix="lines")
        expected = _version(request)
        if expected is None:
            stale = services.STALE_SETTINGS
        elif formset.is_valid():
            try:
                services.service_lines_save(
                    plan=plan,
                    deleted=formset.deleted_pks(),
                    saved=formset.saved_values(),
                    expected_version=expected,
                    by=request.user,
                )
            except StaleEditError as error:
                stale = str(error)
            except ValidationError as error:
                _refuse(formset, error)
            else:
                messages.success(request, "The service lines have been saved.")
                return redirect("budgets:summary", plan.slug, plan.start_year)
        else:
            version = expected if expected is not None else version
        if stale:
            version = selectors.budget_settings(plan).version
            formset = ServiceLineFormSet(plan=plan, prefix="lines")
    else:
        formset = ServiceLineFormSet(plan=plan, prefix="lines")
    context = _context(
        request,
        plan,
        plan.start_year,
        "summary",
        formset=formset,
        version=version,
        stale=stale,
        breadcrumbs=_crumbs(plan, _summary_crumb(plan, plan.start_year)),
    )
    status = 409 if stale else (400 if request.method == "POST" else 200)
    return TemplateResponse(request, "budgets/service_lines.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Monitoring
# ---------------------------------------------------------------------------------------------


def _month(year: int, text: str | None):
    if not text:
        return None
    try:
        month = fy.parse_month(text)
        monitoring.months_elapsed(year, month)
    except ValueError:
        raise Http404("That month is not in the year.") from None
    return month


@require_GET
def monitoring_page(request, slug: str, year: int):
    plan = _plan(request, slug)
    year = _year(plan, year)
    month = _month(year, request.GET.get("month"))
    settings = selectors.budget_settings(plan)
    report = selectors.monitoring_for(plan, year, month, settings=settings)
    months = monitoring.months_of(year)
    index = months.index(report.month)
    return TemplateResponse(
        request,
        "budgets/monitoring.html",
        _context(
            request,
            plan,
            year,
            "monitoring",
            report=report,
            month_form=MonthForm(
                initial={"month": monitoring.month_key(report.month)}, financial_year=year
            ),
            month_key=monitoring.month_key(report.month),
            month_label=f"{report.month:%B %Y}",
            previous_month=monitoring.month_key(months[index - 1]) if index else None,
            next_month=monitoring.month_key(months[index + 1]) if index < 11 else None,
            settings=settings,
            breadcrumbs=_crumbs(plan, _summary_crumb(plan, year)),
        ),
    )


def _month_actuals(plan, year, month) -> dict:
    actuals = {}
    for actual in selectors.actuals_of(plan, year).filter(month=month):
        if actual.income_line_id:
            actuals[f"i{actual.income_line_id}"] = actual
        else:
            actuals[f"e{actual.expenditure_line_id}"] = actual
    return actuals


def _actual_lines(plan: Plan, year: int) -> list[tuple[str, str, object]]:
    """The year's lines as the actuals formset takes them: (key, label, line), income first."""
    return [
        (line_key(line), f"{line.funder_label}, {line.service_line.name}", line)
        for line in selectors.income_lines(plan, year)
    ] + [
        (line_key(line), f"{line.manager}, {line.description}", line)
        for line in selectors.expenditure_lines(plan, year)
    ]


@dataclass
class _ActualsEdit:
    """Where an edit of a month's actuals stands: the formset to show and the version it was
    loaded at; `stale` and `attempted` when somebody else saved first; `changed` once saved."""

    formset: ActualFormSet
    version: int | None
    stale: str | None = None
    attempted: list[str] = field(default_factory=list)
    changed: int | None = None


def _actuals_as_they_are(plan: Plan, year: int, when, lines, **outcome) -> _ActualsEdit:
    return _ActualsEdit(
        formset=ActualFormSet(
            lines=lines, actuals=_month_actuals(plan, year, when), prefix="actuals"
        ),
        version=selectors.year_version(plan, year).actuals_version,
        **outcome,
    )


def _actuals_post(request, plan: Plan, year: int, when, lines) -> _ActualsEdit:
    """Validate and save the posted actuals. A stale save shows the figures as they are now,
    with the user's refused entries listed to be made again by hand."""
    actuals = _month_actuals(plan, year, when)
    formset = ActualFormSet(request.POST, lines=lines, actuals=actuals, prefix="actuals")
    expected = _version(request)
    if expected is None:
        return _actuals_as_they_are(plan, year, when, lines, stale=services.STALE_ACTUALS)
    if not formset.is_valid():
        return _ActualsEdit(formset=formset, version=expected)
    try:
        changed = services.actuals_save(
            plan=plan,
            financial_year=year,
            month=when,
            entries=formset.entries(),
            expected_version=expected,
            by=request.user,
        )
    except StaleEditError as error:
        attempted = _attempted_actuals(lines, formset.entries(), actuals)
        return _actuals_as_they_are(plan, year, when, lines, stale=str(error), attempted=attempted)
    return _ActualsEdit(formset=formset, version=expected, changed=changed)


def _attempted_actuals(lines, entries, actuals) -> list[str]:
    """The entries a refused save would have changed, in words."""
    return [
        f"{label}: {format_money(amount) if amount is not None else 'blank'}"
        for (key, label, _line), (_l, amount) in zip(lines, entries, strict=True)
        if (actuals[key].amount if key in actuals else None) != amount
    ]


@require_http_methods(["GET", "POST"])
def actuals_edit(request, slug: str, year: int, month: str):
    plan = _plan(request, slug, edit=True)
    year = _year(plan, year)
    when = _month(year, month)
    lines = _actual_lines(plan, year)
    monitoring_url = reverse("budgets:monitoring", args=[plan.slug, year]) + f"?month={month}"
    if request.method == "POST":
        edit = _actuals_post(request, plan, year, when, lines)
        if edit.changed is not None:
            messages.success(
                request,
                f"The actuals for {when:%B %Y} have been saved."
                if edit.changed
                else "Nothing had changed, so nothing was saved.",
            )
            return redirect(monitoring_url)
    else:
        edit = _actuals_as_they_are(plan, year, when, lines)
    n_income = sum(1 for key, _label, _line in lines if key.startswith("i"))
    forms = list(enumerate(edit.formset.forms, start=1))
    context = _context(
        request,
        plan,
        year,
        "monitoring",
        formset=edit.formset,
        income_forms=forms[:n_income],
        expenditure_forms=forms[n_income:],
        month=when,
        month_key=month,
        month_label=f"{when:%B %Y}",
        version=edit.version,
        attempted=edit.attempted,
        stale=edit.stale,
        breadcrumbs=_crumbs(
            plan,
            _summary_crumb(plan, year),
            {"text": "Monthly monitoring", "href": monitoring_url},
        ),
    )
    status = 409 if edit.stale else (400 if request.method == "POST" else 200)
    return TemplateResponse(request, "budgets/actuals_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def thresholds_edit(request, slug: str):
    plan = _plan(request, slug, edit=True)
    settings = selectors.budget_settings(plan)
    stale = None
    if request.method == "POST":
        form = ThresholdsForm(request.POST)
        if form.is_valid():
            try:
                services.thresholds_save(
                    plan=plan,
                    amber=form.cleaned_data["amber_at_percent"],
                    red=form.cleaned_data["red_at_percent"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except StaleEditError as error:
                stale = str(error)
                settings = selectors.budget_settings(plan)
                data = request.POST.copy()
                data["version"] = settings.version
                form = ThresholdsForm(data)
                form.is_valid()
            except ValidationError as error:  # a locked (ratified) plan, or out of range
                form.add_error(None, error.messages)
            else:
                messages.success(request, "The RAG thresholds have been saved.")
                return redirect("budgets:monitoring", plan.slug, plan.start_year)
    else:
        form = ThresholdsForm(
            initial={
                "amber_at_percent": settings.amber_at_percent,
                "red_at_percent": settings.red_at_percent,
                "version": settings.version,
            }
        )
    context = _context(
        request,
        plan,
        plan.start_year,
        "monitoring",
        form=form,
        settings=settings,
        stale=stale,
        breadcrumbs=_crumbs(plan, _summary_crumb(plan, plan.start_year)),
    )
    status = 409 if stale else (400 if request.method == "POST" else 200)
    return TemplateResponse(request, "budgets/thresholds.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_page(request, slug: str, year: int):
    plan = _plan(request, slug, edit=True)
    year = _year(plan, year)
    result = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = imports.import_file(
                    plan=plan,
                    financial_year=year,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if result.ok:
                    messages.success(
                        request,
                        f"Imported {result.rows} row{'s' if result.rows != 1 else ''}: "
                        f"{result.created} added, {result.updated} changed, "
                        f"{result.unchanged} already as in the file.",
                    )
                    lines = form.cleaned_data["kind"] == ImportKind.LINES
                    name = "budgets:summary" if lines else "budgets:monitoring"
                    return redirect(name, plan.slug, year)
        status = 400
    else:
        form = ImportForm()
    context = _context(
        request,
        plan,
        year,
        "summary",
        form=form,
        result=result,
        breadcrumbs=_crumbs(plan, _summary_crumb(plan, year)),
    )
    return TemplateResponse(request, "budgets/import.html", context, status=status)


@require_GET
def import_template(request, slug: str, year: int, kind: str):
    plan = _plan(request, slug, edit=True)
    year = _year(plan, year)
    response = HttpResponse(
        imports.template_csv(plan, year, kind), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-{year}-{kind}.csv"'
    return response


# ---------------------------------------------------------------------------------------------
# Partner view
# ---------------------------------------------------------------------------------------------


@require_GET
def partner(request, provider_slug: str):
    provider = get_object_or_404(Organisation, slug=provider_slug)
    requested = request.GET.get("partner", "")
    is_provider_member, funders = permissions.partner_funders(
        request.user, provider, requested_slug=requested
    )
    choosing = is_provider_member and not requested
    views = (
        []
        if choosing
        else [(funder, selectors.partner_contributions(provider, funder)) for funder in funders]
    )
    return TemplateResponse(
        request,
        "budgets/partner.html",
        {
            "provider": provider,
            "choosing": choosing,
            "funders": funders,
            "views": views,
            "breadcrumbs": [
                {"text": "Home", "href": reverse("planning:home")},
                {"text": "Budgets", "href": reverse("budgets:index")},
            ],
        },
    )


# ---------------------------------------------------------------------------------------------
# Savings programme
# ---------------------------------------------------------------------------------------------


@require_GET
def savings_list(request, slug: str):
    plan = _plan(request, slug)
    return TemplateResponse(
        request,
        "budgets/savings_list.html",
        _context(
            request,
            plan,
            plan.start_year,
            "savings",
            programme=selectors.savings_programme(plan),
            breadcrumbs=_crumbs(plan),
        ),
    )


def _scheme_form(request, plan, scheme=None, data=None):
    roles = Role.objects.filter(organisation=plan.organisation).order_by("title")
    objectives = (
        Objective.objects.filter(plan=plan).only("pk", "reference", "text").order_by("order")
    )
    return SavingsSchemeForm(
        data, plan=plan, scheme=scheme, roles=list(roles), objectives=list(objectives)
    )


@require_http_methods(["GET", "POST"])
def savings_edit(request, slug: str, pk: int | None = None):
    plan = _plan(request, slug, edit=True)
    scheme = None
    if pk is not None:
        scheme = get_object_or_404(
            SavingsScheme.objects.prefetch_related("targets", "objectives"), pk=pk, plan=plan
        )
    stale = None
    if request.method == "POST":
        form = _scheme_form(request, plan, scheme, request.POST)
        if form.is_valid():
            try:
                services.scheme_save(
                    plan=plan,
                    scheme_id=scheme.pk if scheme else None,
                    by=request.user,
                    **form.service_kwargs(),
                )
            except StaleEditError as error:
                stale = str(error)
                scheme = SavingsScheme.objects.prefetch_related("targets", "objectives").get(
                    pk=scheme.pk
                )
                data = request.POST.copy()
                data["version"] = scheme.version  # saving again now means "mine still stands"
                form = _scheme_form(request, plan, scheme, data)
                form.is_valid()
            except ValidationError as error:
                if not hasattr(error, "error_dict"):  # a locked (ratified) plan
                    form.add_error(None, error.messages)
                for field, problems in getattr(error, "message_dict", {}).items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, "The savings scheme has been saved.")
                return redirect("budgets:savings", plan.slug)
    else:
        form = _scheme_form(request, plan, scheme)
    context = _context(
        request,
        plan,
        plan.start_year,
        "savings",
        form=form,
        scheme=scheme,
        stale=stale,
        breadcrumbs=_crumbs(
            plan,
            {"text": "Savings programme", "href": reverse("budgets:savings", args=[plan.slug])},
        ),
    )
    status = 409 if stale else (400 if request.method == "POST" else 200)
    return TemplateResponse(request, "budgets/savings_form.html", context, status=status)
