from django.apps import AppConfig

from planning import audit


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # Changes to who may do what show on the audit page, with who made them.
        audit.register("planning.Membership", "organisation_id")
        audit.register("planning.Person", "organisation_id")
        audit.register("people.Invitation", "organisation_id")
