from django.apps import AppConfig

from planning import audit


class SwotConfig(AppConfig):
    name = "swot"
    verbose_name = "Swot"

    def ready(self) -> None:
        audit.register("swot.SwotItem", "plan__organisation_id")
        audit.register("swot.PestelDriver", "plan__organisation_id")
        from swot import editing  # models are loaded only now

        editing.register_lists()
        from swot import content

        content.register_content()

        from swot import rollforward  # models are loaded only now

        rollforward.register()
