from django.apps import AppConfig

from planning import audit


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery: programmes, workstreams, benefits, dependencies and governance"

    def ready(self) -> None:
        audit.register("delivery.DeliveryItem", "plan__organisation_id")
        audit.register("delivery.DeliveryUpdate", "item__plan__organisation_id")
        audit.register("delivery.YearFigure", "item__plan__organisation_id")
        audit.register("delivery.Dependency", "item__plan__organisation_id")
        audit.register("delivery.Lineage", "item__plan__organisation_id")
        audit.register("delivery.GovernanceBody", "organisation_id")
        audit.register("delivery.Decision", "body__organisation_id")
