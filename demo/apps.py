from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: two real plans loaded from fixtures/, synthetic measurements and sign-ins."""

    name = "demo"
    verbose_name = "Demo data"
