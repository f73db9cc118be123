"""The plan's budget lines and savings schemes as content of a version (planning.plan_content):
registered from BudgetsConfig.ready(). Monthly actuals and savings delivered are delivery, not
content: they are not in a version."""

from __future__ import annotations

from budgets.models import ExpenditureLine, IncomeLine, SavingsScheme, SavingsTarget, ServiceLine
from planning.fy import fy_label
from planning.plan_content import ContentKind, field_spec, register, with_labels


def _year(line) -> str:
    return fy_label(line.financial_year)


def register_content() -> None:
    register(
        ContentKind(
            key="service_lines",
            label="Service lines",
            singular="service line",
            read=lambda plan: ServiceLine.objects.filter(plan_id=plan.pk).order_by("order", "pk"),
            fields=with_labels(ServiceLine, field_spec("name")),
            name=lambda line: line.name,
            position=120,
        )
    )
    register(
        ContentKind(
            key="income_lines",
            label="Budget income lines",
            singular="income line",
            read=lambda plan: (
                IncomeLine.objects.filter(plan_id=plan.pk)
                .select_related("service_line")
                .order_by("financial_year", "funder_order", "pk")
            ),
            fields=with_labels(
                IncomeLine,
                field_spec(
                    "amount",
                    "financial_year",
                    "funder_label",
                    "service_line",
                    labels={"funder_label": "Funder"},
                    financial_year=_year,
                ),
            ),
            name=lambda line: f"{_year(line)} {line.funder_label}: {line.service_line}",
            position=121,
        )
    )
    register(
        ContentKind(
            key="expenditure_lines",
            label="Budget expenditure lines",
            singular="expenditure line",
            read=lambda plan: ExpenditureLine.objects.filter(plan_id=plan.pk).order_by(
                "financial_year", "order", "pk"
            ),
            fields=with_labels(
                ExpenditureLine,
                field_spec(
                    "amount", "financial_year", "manager", "description", financial_year=_year
                ),
            ),
            name=lambda line: f"{_year(line)} {line.manager}: {line.description}",
            position=122,
        )
    )
    register(
        ContentKind(
            key="savings_schemes",
            label="Savings schemes",
            singular="savings scheme",
            read=lambda plan: (
                SavingsScheme.objects.filter(plan_id=plan.pk)
                .select_related("owner_role")
                .order_by("order", "title", "pk")
            ),
            # Status and RAG report delivery: not content.
            fields=with_labels(
                SavingsScheme, field_spec("title", "owner_text", "owner_role", "fte_effect")
            ),
            name=lambda scheme: scheme.title,
            position=130,
        )
    )
    register(
        ContentKind(
            key="savings_targets",
            label="Savings targets",
            singular="savings target",
            read=lambda plan: (
                SavingsTarget.objects.filter(scheme__plan_id=plan.pk)
                .select_related("scheme")
                .order_by("scheme__order", "scheme__title", "financial_year", "pk")
            ),
            fields=with_labels(
                SavingsTarget, field_spec("amount", "financial_year", financial_year=_year)
            ),
            name=lambda t: f"{t.scheme.title} {_year(t)}",
            position=131,
        )
    )
