from django.apps import AppConfig

from planning import audit


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        audit.register("planning.Plan", "organisation_id")
        audit.register("planning.PlanSection", "plan__organisation_id")
        audit.register("planning.StrategicPriority", "plan__organisation_id")
        audit.register("planning.StrategicObjective", "plan__organisation_id")
        audit.register("planning.Programme", "plan__organisation_id")
        audit.register("planning.VisionBullet", "plan__organisation_id")
        audit.register("planning.Value", "plan__organisation_id")
