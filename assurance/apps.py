from django.apps import AppConfig

from planning import audit


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = "Assurance: risks and the Board Assurance Framework"

    def ready(self) -> None:
        audit.register("assurance.Risk", "organisation_id")
        audit.register("assurance.Control", "risk__organisation_id")
        audit.register("assurance.RiskCategory", "organisation_id")
        audit.register("assurance.RiskSettings", "organisation_id")
