"""The plan's KPI definitions, targets and tolerances as content of a version
(planning.plan_content): registered from KpisConfig.ready(). Measurements are delivery: they
stay with the KPI through every version."""

from __future__ import annotations

from kpis.models import KPI, KPITarget
from planning.plan_content import ContentKind, as_text, field_spec, register, with_labels


def register_content() -> None:
    register(
        ContentKind(
            key="kpis",
            label="KPIs",
            singular="KPI",
            read=lambda plan: (
                KPI.objects.filter(plan_id=plan.pk)
                .select_related("owner_role")
                .order_by("perspective", "code", "pk")
            ),
            fields=with_labels(
                KPI,
                field_spec(
                    "name",
                    "code",
                    "description",
                    "perspective",
                    "unit",
                    "polarity",
                    "frequency",
                    "owner_text",
                    "owner_role",
                    "data_source",
                    "in_development",
                    "definition_due",
                ),
            ),
            name=lambda kpi: kpi.code,
            position=90,
        )
    )
    register(
        ContentKind(
            key="kpi_targets",
            label="KPI targets and tolerances",
            singular="KPI target",
            read=lambda plan: (
                KPITarget.objects.filter(kpi__plan_id=plan.pk)
                .select_related("kpi")
                .order_by("kpi__code", "effective_from", "pk")
            ),
            fields=with_labels(
                KPITarget, field_spec("effective_from", "target", "tolerance", "reason")
            ),
            name=lambda t: f"{t.kpi.code} from {as_text(t.effective_from)}",
            position=91,
            summary="target",
        )
    )
