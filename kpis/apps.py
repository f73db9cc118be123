from django.apps import AppConfig

from planning import audit


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "Kpis"

    def ready(self) -> None:
        audit.register("kpis.KPI", "plan__organisation_id")
        audit.register("kpis.Measurement", "kpi__plan__organisation_id")
        audit.register("kpis.KPITarget", "kpi__plan__organisation_id")
        from kpis import content  # models are loaded only now

        content.register_content()

        from kpis import rollforward  # models are loaded only now

        rollforward.register()
