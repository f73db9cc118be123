"""Budget pages, mounted under /budgets/ by config/urls.py."""

from django.urls import path, register_converter

from budgets import views


class KindConverter:
    regex = "income|expenditure"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ImportKindConverter:
    regex = "lines|actuals"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "line_kind")
register_converter(ImportKindConverter, "import_kind")
register_converter(MonthConverter, "month")

app_name = "budgets"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<slug:slug>/", views.plan_budget, name="plan"),
    path("plans/<slug:slug>/<int:year>/", views.summary, name="summary"),
    path(
        "plans/<slug:slug>/<int:year>/income/",
        views.lines_edit,
        {"kind": "income"},
        name="income_edit",
    ),
    path(
        "plans/<slug:slug>/<int:year>/expenditure/",
        views.lines_edit,
        {"kind": "expenditure"},
        name="expenditure_edit",
    ),
    path("plans/<slug:slug>/service-lines/", views.service_lines_edit, name="service_lines"),
    path("plans/<slug:slug>/<int:year>/monitoring/", views.monitoring_page, name="monitoring"),
    path(
        "plans/<slug:slug>/<int:year>/actuals/<month:month>/",
        views.actuals_edit,
        name="actuals",
    ),
    path("plans/<slug:slug>/thresholds/", views.thresholds_edit, name="thresholds"),
    path("plans/<slug:slug>/<int:year>/import/", views.import_page, name="import"),
    path(
        "plans/<slug:slug>/<int:year>/import/<import_kind:kind>.csv",
        views.import_template,
        name="import_template",
    ),
    path("plans/<slug:slug>/savings/", views.savings_list, name="savings"),
    path("plans/<slug:slug>/savings/new/", views.savings_edit, name="savings_create"),
    path("plans/<slug:slug>/savings/<int:pk>/", views.savings_edit, name="savings_edit"),
    path("partner/<slug:provider_slug>/", views.partner, name="partner"),
]
