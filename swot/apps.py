from django.apps import AppConfig


class SwotConfig(AppConfig):
    name = "swot"
    verbose_name = "Swot"
