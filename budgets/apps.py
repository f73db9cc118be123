from django.apps import AppConfig

from planning import audit


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self) -> None:
        audit.register("budgets.ServiceLine", "plan__organisation_id")
        audit.register("budgets.IncomeLine", "plan__organisation_id")
        audit.register("budgets.ExpenditureLine", "plan__organisation_id")
        from budgets import content  # models are loaded only now

        content.register_content()

        from budgets import rollforward  # models are loaded only now

        rollforward.register()
