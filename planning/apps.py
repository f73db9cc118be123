from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate

from planning import audit, content_version, sessions


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
        audit.register("planning.QuarterReopening", "plan__organisation_id")
        audit.register("planning.OrgUnit", "organisation_id")
        from planning import editing  # models are loaded only now

        editing.register_lists()
        audit.register("planning.PlanVersion", "plan__organisation_id")
        from planning import plan_content

        plan_content.register_planning_kinds()

        from planning import rollforward_carrier

        rollforward_carrier.register()
        # Every sign-in (the form, the admin's, a test's force_login) starts the idle clock.
        user_logged_in.connect(sessions.on_sign_in, dispatch_uid="waymark-idle-clock")
        # The content version's triggers, for the tables as every migrate leaves them.
        post_migrate.connect(
            content_version.on_post_migrate, sender=self, dispatch_uid="waymark-content-version"
        )
