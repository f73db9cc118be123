"""Scripted PDF exports, e.g. for a board pack sent out every quarter:

    python manage.py export_pdf --plan ssp-business-plan-2006-07 --document plan -o plan.pdf
    python manage.py export_pdf --plan 1 --document scorecard --quarter 2006-Q2 -o pack.pdf
    python manage.py export_pdf --plan 1 --document actions --filters "rag=red" -o red.pdf

It runs as the system (whoever may run manage.py may read every plan), through the same cache
and the same child-process render as the web exports.
"""

from __future__ import annotations

import shutil

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from planning.fy import Quarter
from planning.models import Plan
from reporting.documents import exports, selectors
from reporting.documents.assemble import SYSTEM_USER
from reporting.documents.render import RenderError
from reporting.documents.spec import DocumentSpec, Kind, normalise_query
from reporting.scorecard import default_quarter

DOCUMENTS = [kind.value for kind in Kind]


class Command(BaseCommand):
    help = "Export a plan's annual plan, board pack (scorecard) or action plan as a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's id or slug.")
        parser.add_argument(
            "--document", required=True, help=f"Which document: {', '.join(DOCUMENTS)}."
        )
        parser.add_argument(
            "--quarter", default="", help="The scorecard's quarter, e.g. 2006-Q2 (default: latest)."
        )
        parser.add_argument(
            "--filters",
            default="",
            help="The action plan's filters as the objectives table's query string, e.g. "
            '"rag=red&is_new=on". The plan is always the one given.',
        )
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")

    def handle(self, *args, plan, document, quarter, filters, output, **options):
        plan = self._plan(plan)
        if document not in DOCUMENTS:
            raise CommandError(
                f"Unknown document {document!r}: choose one of {', '.join(DOCUMENTS)}."
            )
        kind = Kind(document)
        if quarter and kind != Kind.SCORECARD:
            raise CommandError("--quarter applies only to --document scorecard.")
        if filters and kind != Kind.ACTIONS:
            raise CommandError("--filters applies only to --document actions.")

        if kind == Kind.PLAN:
            spec = DocumentSpec(kind, plan_id=plan.pk)
        elif kind == Kind.SCORECARD:
            spec = DocumentSpec(kind, plan_id=plan.pk, quarter=self._quarter(plan, quarter).key)
        else:
            query = QueryDict(filters, mutable=True)
            query.setlist("plan", [str(plan.pk)])
            try:
                selectors.filtered_objectives(SYSTEM_USER, query)
            except selectors.InvalidFilters as error:
                raise CommandError(f"Invalid --filters: {error}") from error
            spec = DocumentSpec(
                kind,
                plan_id=plan.pk,
                query=normalise_query(query),
                org_ids=(plan.organisation_id,),
            )

        try:
            export = exports.get_or_render(spec)
        except RenderError as error:
            raise CommandError(f"The PDF could not be produced: {error}") from error
        try:
            with export.open() as source, open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from error
        how = f"{export.result.pages} pages, rendered" if export.rendered else "from the cache"
        self.stdout.write(f"Wrote {output}: {spec.title} of {plan} ({how}).")

    def _plan(self, value: str) -> Plan:
        plans = Plan.objects.select_related("organisation")
        found = plans.filter(slug=value).first()
        if found is None and value.isdigit():
            found = plans.filter(pk=int(value)).first()
        if found is None:
            raise CommandError(f"No plan with the id or slug {value!r}.")
        return found

    def _quarter(self, plan: Plan, value: str) -> Quarter:
        if not value:
            return default_quarter(plan)
        try:
            quarter = Quarter.parse(value)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if quarter.year not in plan.financial_years:
            raise CommandError(f"{quarter.key} is not a quarter of {plan} ({plan.period_label}).")
        return quarter
