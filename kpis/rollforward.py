"""The KPI app's carrier for a roll forward (planning.rollforward).

Every KPI is carried, with its targets and tolerances, and points back at the KPI it continues
(`carried_from`, with `lineage_root` and `lineage_depth`: kpis.lineage). Its measurements are
NOT copied: the new KPI's page, chart, SPC and scorecard read the values of the whole line, so
the history continues and nothing is entered twice. Its targets are copied with their dates, so
last year's values are still rated as they were.
"""

from __future__ import annotations

from kpis.models import KPI, KPITarget, Measurement
from planning import rollforward
from planning.models import Plan


def preview(source: Plan) -> list[rollforward.PreviewGroup]:
    """Two queries: the KPIs and the count of their values."""
    kpis = list(KPI.objects.filter(plan=source).order_by("perspective", "code"))
    values = Measurement.objects.filter(kpi__plan=source).count()
    return [
        rollforward.PreviewGroup(
            key="kpis",
            title="KPIs",
            carried=[
                rollforward.PreviewRow(text=k.name, reference=k.code, url=k.get_absolute_url())
                for k in kpis
            ],
            note=f"Their targets and tolerances are carried, and their measurement history "
            f"continues: the new plan's charts and scorecard read this year's {values} values "
            "without copying them.",
        )
    ]


def carry(context: rollforward.CarryContext) -> None:
    source, target = context.source, context.target
    names = rollforward.copy_fields(KPI, skip=("carried_from", "lineage_root", "lineage_depth"))
    context.create(
        KPI,
        [
            (
                k.pk,
                rollforward.copy_of(
                    KPI,
                    k,
                    names,
                    plan_id=target.pk,
                    carried_from_id=k.pk,
                    lineage_root_id=k.lineage_key,
                    lineage_depth=k.lineage_depth + 1,
                ),
            )
            for k in KPI.objects.filter(plan=source).order_by("pk")
        ],
    )
    new_ids = context.mapping(KPI)
    target_names = rollforward.copy_fields(KPITarget, skip=("created_at",))
    context.create(
        KPITarget,
        [
            (t.pk, rollforward.copy_of(KPITarget, t, target_names, kpi_id=new_ids[t.kpi_id]))
            for t in KPITarget.objects.filter(kpi__plan=source).order_by("kpi_id", "effective_from")
        ],
    )


def register() -> None:
    rollforward.register(rollforward.Carrier(key="kpis", position=10, preview=preview, carry=carry))
