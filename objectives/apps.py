from django.apps import AppConfig

from planning import audit


class ObjectivesConfig(AppConfig):
    name = "objectives"
    verbose_name = "Objectives"

    def ready(self) -> None:
        audit.register("objectives.Goal", "plan__organisation_id")
        audit.register("objectives.Objective", "plan__organisation_id")
        audit.register("objectives.Milestone", "objective__plan__organisation_id")
        from objectives import goal_editing  # models are loaded only now

        goal_editing.register_lists()
        from objectives import content

        content.register_content()

        from objectives import rollforward

        rollforward.register()
