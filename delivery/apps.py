from django.apps import AppConfig

from planning import audit


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery: programmes, workstreams, benefits, dependencies and governance"

    def ready(self) -> None:
        from delivery import content

        content.register_content()
        audit.register("delivery.DeliveryItem", "plan__organisation_id")
        audit.register("delivery.DeliveryUpdate", "item__plan__organisation_id")
        audit.register("delivery.YearFigure", "item__plan__organisation_id")
        audit.register("delivery.Dependency", "item__plan__organisation_id")
        audit.register("delivery.Lineage", "item__plan__organisation_id")
        audit.register("delivery.GovernanceBody", "organisation_id")
        audit.register("delivery.Decision", "body__organisation_id")
