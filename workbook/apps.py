from django.apps import AppConfig


class WorkbookConfig(AppConfig):
    name = "workbook"
    verbose_name = "Plan workbooks"

    def ready(self) -> None:
        # Each record kind's sheet registers itself (workbook.sheets.register).
        from workbook import kinds, kinds_delivery, kinds_frameworks, kinds_risks  # noqa: F401
