"""Planners edit lines, actuals, thresholds and service lines: validation next to the field,
all-or-nothing saves, and concurrent edits refused rather than overwritten."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.forms import ExpenditureFormSet, IncomeFormSet, ServiceLineFormSet
from budgets.models import BudgetYear, ExpenditureLine, IncomeLine, MonthlyActual, ServiceLine
from planning.spreadsheets import parse_money
from tests.budgets.helpers import formset_data, page_text

D = Decimal


def income_url(plan):
    return reverse("budgets:income_edit", args=[plan.slug, 2006])


def expenditure_url(plan):
    return reverse("budgets:expenditure_edit", args=[plan.slug, 2006])


def income_form_data(plan, version=0):
    return formset_data(IncomeFormSet(plan=plan, financial_year=2006, prefix="income"), version)


def expenditure_form_data(plan, version=0):
    return formset_data(
        ExpenditureFormSet(plan=plan, financial_year=2006, prefix="expenditure"), version
    )


def amounts(model=IncomeLine):
    return sorted(model.objects.values_list("amount", flat=True))


class TestParseMoney:
    @pytest.mark.parametrize(
        ("text", "amount"),
        [
            ("1,234,567", D("1234567")),
            ("£1,234.50", D("1234.50")),
            (" 0 ", D("0")),
            ("£ 1,000", D("1000")),
            ("-£5,000", None),
            (12, D(12)),
            (1329709.0, D("1329709")),  # a spreadsheet number
            (0.1 + 0.2, D("0.30")),  # a float only as far as the penny
        ],
    )
    def test_accepted(self, text, amount):
        if amount is None:  # well formed, but negative
            with pytest.raises(ValueError, match="negative"):
                parse_money(text)
        else:
            assert parse_money(text) == amount

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("-5", "negative"),
            ("abc", "not an amount"),
            ("12.345", "more than 2 digits"),
            ("NaN", "not an amount"),
            ("1e30", "too large"),
            ("1,5", "decimal commas are not accepted, write 1.5"),
            ("12,34.5", "misplaced thousands separators are not accepted"),
            ("", "no amount"),
        ],
    )
    def test_refused(self, text, reason):
        with pytest.raises(ValueError, match=reason):
            parse_money(text)


@pytest.mark.django_db
class TestIncomeFormset:
    def test_page_renders_nhsuk_fields(self, client, plan, budget, planner):
        client.force_login(planner)
        response = client.get(income_url(plan))
        assert response.status_code == 200
        assert 'class="nhsuk-form-group' in page_text(response)
        assert 'inputmode="decimal"' in page_text(response)
        assert "Partner 0, Estates" in page_text(response)  # each line's legend names it

    def test_change_an_amount(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        data["income-0-amount"] = "£1,500.25"
        response = client.post(income_url(plan), data)
        assert response.status_code == 302
        line = IncomeLine.objects.get(pk=data["income-0-id"])
        assert line.amount == D("1500.25")
        assert line.history.first().history_user == planner
        assert BudgetYear.objects.get(plan=plan, financial_year=2006).version == 1

    def test_add_a_line_for_a_new_catch_all(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        data.update(
            {
                "income-4-funder_label": "Others",
                "income-4-service_line": str(budget.service_lines[1].pk),
                "income-4-amount": "120000",
            }
        )
        assert client.post(income_url(plan), data).status_code == 302
        line = IncomeLine.objects.get(funder_label="Others")
        assert line.funder is None and line.amount == D(120000)
        assert line.funder_order == 3  # a new row after the partners
        assert (line.plan, line.financial_year) == (plan, 2006)

    def test_a_partner_without_a_name_takes_the_partners(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        data["income-0-funder_label"] = ""
        data["income-0-amount"] = "7"
        assert client.post(income_url(plan), data).status_code == 302
        assert IncomeLine.objects.get(pk=data["income-0-id"]).funder_label == "Partner 0"

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("-100", "Enter an amount of £0 or more: amounts cannot be negative"),
            ("lots", "Enter an amount in pounds as a number, like 1,234,567 or 1234.50"),
            ("1.234", "no more than 2 digits after the point"),
            ("1,50", "with commas only between thousands"),
            ("", "Enter an amount in pounds"),
        ],
    )
    def test_bad_amounts_refused_next_to_the_field_and_nothing_saved(
        self, client, plan, budget, planner, typed, message
    ):
        client.force_login(planner)
        before = amounts()
        data = income_form_data(plan)
        data["income-1-amount"] = "99"  # a good change in the same save is not saved either
        data["income-0-amount"] = typed
        response = client.post(income_url(plan), data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert 'id="id_income-0-amount_error"' in page_text(response)  # next to the field
        assert 'href="#id_income-0-amount"' in page_text(response)  # and in the error summary
        assert page_text(response).count("<title>Error: ") == 1
        assert amounts() == before

    def test_duplicate_line_refused(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        data.update(
            {
                "income-4-funder": str(budget.partners[0].pk),
                "income-4-funder_label": "partner  0",  # the same name, however typed
                "income-4-service_line": str(budget.service_lines[0].pk),
                "income-4-amount": "5",
            }
        )
        response = client.post(income_url(plan), data)
        assert response.status_code == 400
        text = page_text(response)
        assert "Line 1 is already Partner 0, Estates: a line may appear only once" in text
        assert IncomeLine.objects.count() == 4

    def test_a_name_means_one_partner(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        data.update(
            {
                "income-4-funder": str(budget.partners[1].pk),
                "income-4-funder_label": "Partner 0",
                "income-4-service_line": str(budget.service_lines[1].pk),
                "income-4-amount": "5",
            }
        )
        response = client.post(income_url(plan), data)
        assert response.status_code == 400
        assert "with a different partner" in page_text(response)

    def test_a_new_line_needs_somebody_who_pays(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        data.update(
            {"income-4-service_line": str(budget.service_lines[0].pk), "income-4-amount": "5"}
        )
        response = client.post(income_url(plan), data)
        assert response.status_code == 400
        assert "Enter a name, such as “Others”, or choose a partner or client" in page_text(
            response
        )

    def test_only_the_providers_partners_and_this_plans_service_lines(
        self, client, plan, budget, planner, other_organisation
    ):
        client.force_login(planner)
        foreign = ServiceLine.objects.create(
            plan=__import__("tests.factories").factories.PlanFactory(), name="Foreign"
        )
        data = income_form_data(plan)
        data["income-0-funder"] = str(other_organisation.pk)
        data["income-1-service_line"] = str(foreign.pk)
        response = client.post(income_url(plan), data)
        assert response.status_code == 400
        # Each next to its field and again in the error summary.
        assert page_text(response).count("Select a valid choice") == 4

    def test_delete_a_line(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        data["income-0-DELETE"] = "on"
        assert client.post(income_url(plan), data).status_code == 302
        assert not IncomeLine.objects.filter(pk=data["income-0-id"]).exists()

    def test_a_line_with_actuals_cannot_be_deleted(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        MonthlyActual.objects.create(
            income_line_id=data["income-0-id"], month=dt.date(2006, 4, 1), amount=D(1)
        )
        data["income-0-DELETE"] = "on"
        response = client.post(income_url(plan), data)
        assert response.status_code == 400
        assert "has monthly actuals recorded, so it cannot be deleted" in page_text(response)
        assert IncomeLine.objects.filter(pk=data["income-0-id"]).exists()

    def test_nothing_changed_saves_nothing(self, client, plan, budget, planner):
        client.force_login(planner)
        response = client.post(income_url(plan), income_form_data(plan), follow=True)
        assert "Nothing had changed" in page_text(response)
        assert BudgetYear.objects.get(plan=plan).version == 0


@pytest.mark.django_db
class TestConcurrentEdits:
    def test_the_second_save_from_the_same_version_is_refused(
        self, client, plan, budget, planner, org_admin
    ):
        first, second = income_form_data(plan), income_form_data(plan)  # both open the page
        client.force_login(org_admin)
        first["income-0-amount"] = "111"
        assert client.post(income_url(plan), first).status_code == 302

        client.force_login(planner)
        second["income-1-amount"] = "222"
        response = client.post(income_url(plan), second)
        assert response.status_code == 409
        assert "Somebody else changed this year's budget after you opened it" in page_text(response)
        assert "Change Partner 0, Finance: £222" in page_text(response)  # what they tried, in words
        assert IncomeLine.objects.get(pk=first["income-0-id"]).amount == D(111)  # kept
        assert IncomeLine.objects.get(pk=second["income-1-id"]).amount != D(222)  # not applied
        # The form now shows the figures as they are, at the current version.
        assert 'name="version" value="1"' in page_text(response)
        assert 'value="111"' in page_text(response)

    def test_an_import_or_expenditure_save_also_moves_the_version(
        self, client, plan, budget, planner
    ):
        client.force_login(planner)
        income = income_form_data(plan)
        spend = expenditure_form_data(plan)
        spend["expenditure-0-amount"] = "1"
        assert client.post(expenditure_url(plan), spend).status_code == 302
        income["income-0-amount"] = "1"
        assert client.post(income_url(plan), income).status_code == 409

    def test_a_missing_version_is_refused(self, client, plan, budget, planner):
        client.force_login(planner)
        data = income_form_data(plan)
        del data["version"]
        data["income-0-amount"] = "5"
        assert client.post(income_url(plan), data).status_code == 409
        assert D(5) not in amounts()


@pytest.mark.django_db
class TestExpenditureFormset:
    def test_add_a_line_under_a_manager(self, client, plan, budget, planner):
        client.force_login(planner)
        data = expenditure_form_data(plan)
        data.update(
            {
                "expenditure-4-manager": "Head of  Services",
                "expenditure-4-description": "Transport",
                "expenditure-4-amount": "438,376",
            }
        )
        assert client.post(expenditure_url(plan), data).status_code == 302
        line = ExpenditureLine.objects.get(description="Transport")
        assert line.manager == "Head of Services"  # spaces tidied
        assert line.order == 4  # after the existing lines
        assert line.amount == D(438376)

    def test_duplicate_refused_case_insensitively(self, client, plan, budget, planner):
        client.force_login(planner)
        data = expenditure_form_data(plan)
        data.update(
            {
                "expenditure-4-manager": "MANAGER 0",
                "expenditure-4-description": "line 0-0",
                "expenditure-4-amount": "1",
            }
        )
        response = client.post(expenditure_url(plan), data)
        assert response.status_code == 400
        assert "Line 1 is already" in page_text(response)
        assert ExpenditureLine.objects.count() == 4


@pytest.mark.django_db
class TestServiceLines:
    def url(self, plan):
        return reverse("budgets:service_lines", args=[plan.slug])

    def data(self, plan):
        return formset_data(ServiceLineFormSet(plan=plan, prefix="lines"), version=0)

    def test_add_and_rename(self, client, plan, budget, planner):
        client.force_login(planner)
        data = self.data(plan)
        data["lines-1-name"] = "Finance and Payroll"
        data["lines-2-name"] = "IT"
        assert client.post(self.url(plan), data).status_code == 302
        names = list(ServiceLine.objects.filter(plan=plan).values_list("name", "order"))
        assert names == [("Estates", 1), ("Finance and Payroll", 2), ("IT", 3)]

    def test_a_service_line_in_use_cannot_be_deleted(self, client, plan, budget, planner):
        client.force_login(planner)
        data = self.data(plan)
        data["lines-0-DELETE"] = "on"
        response = client.post(self.url(plan), data)
        assert response.status_code == 400
        assert "Estates has income lines, so it cannot be deleted" in page_text(response)

    def test_names_are_unique(self, client, plan, budget, planner):
        client.force_login(planner)
        data = self.data(plan)
        data["lines-2-name"] = "estates"
        response = client.post(self.url(plan), data)
        assert response.status_code == 400
        assert "Service line 1 already has this name" in page_text(response)


@pytest.mark.django_db
class TestActuals:
    def url(self, plan, month="2006-09"):
        return reverse("budgets:actuals", args=[plan.slug, 2006, month])

    def data(self, client, plan, month="2006-09"):
        from budgets.forms import ActualFormSet, line_key
        from budgets.selectors import expenditure_lines, income_lines

        lines = [(line_key(x), str(x), x) for x in income_lines(plan, 2006)]
        lines += [(line_key(x), str(x), x) for x in expenditure_lines(plan, 2006)]
        version = BudgetYear.objects.filter(plan=plan).values_list("actuals_version", flat=True)
        return formset_data(
            ActualFormSet(lines=lines, actuals={}, prefix="actuals"),
            version=(version.first() or 0),
        )

    def test_enter_change_and_clear(self, client, plan, budget, planner):
        client.force_login(planner)
        data = self.data(client, plan)
        data["actuals-0-amount"] = "1,000"
        data["actuals-5-amount"] = "250.50"
        response = client.post(self.url(plan), data)
        assert response.status_code == 302
        assert response["Location"].endswith("?month=2006-09")
        assert sorted(MonthlyActual.objects.values_list("month", "amount")) == [
            (dt.date(2006, 9, 1), D("250.50")),
            (dt.date(2006, 9, 1), D(1000)),
        ]
        page = client.get(self.url(plan))
        assert 'value="1000"' in page_text(page)
        data = self.data(client, plan)
        data["actuals-0-amount"] = "1,000"
        data["actuals-5-amount"] = ""  # cleared
        assert client.post(self.url(plan), data).status_code == 302
        assert list(MonthlyActual.objects.values_list("amount", flat=True)) == [D(1000)]

    def test_negative_refused_and_nothing_saved(self, client, plan, budget, planner):
        client.force_login(planner)
        data = self.data(client, plan)
        data["actuals-0-amount"] = "5"
        data["actuals-1-amount"] = "-5"
        response = client.post(self.url(plan), data)
        assert response.status_code == 400
        assert "amounts cannot be negative" in page_text(response)
        assert not MonthlyActual.objects.exists()

    def test_stale_actuals_refused(self, client, plan, budget, planner):
        client.force_login(planner)
        first, second = self.data(client, plan), self.data(client, plan)
        first["actuals-0-amount"] = "5"
        assert client.post(self.url(plan), first).status_code == 302
        second["actuals-0-amount"] = "7"
        response = client.post(self.url(plan), second)
        assert response.status_code == 409
        assert "Somebody else changed this year's actuals" in page_text(response)
        assert list(MonthlyActual.objects.values_list("amount", flat=True)) == [D(5)]

    def test_lines_changed_meanwhile(self, client, plan, budget, planner):
        client.force_login(planner)
        data = self.data(client, plan)
        IncomeLine.objects.filter(pk=IncomeLine.objects.first().pk).delete()
        data["actuals-0-amount"] = "5"
        response = client.post(self.url(plan), data)
        assert response.status_code == 400
        assert "The budget lines changed after you opened this page" in page_text(response)
        assert not MonthlyActual.objects.exists()

    def test_a_month_outside_the_year_is_not_found(self, client, plan, budget, planner):
        client.force_login(planner)
        assert client.get(self.url(plan, "2007-04")).status_code == 404


@pytest.mark.django_db
class TestThresholds:
    url = staticmethod(lambda plan: reverse("budgets:thresholds", args=[plan.slug]))

    def test_set_and_used_by_monitoring(self, client, plan, budget, planner):
        client.force_login(planner)
        data = {"amber_at_percent": "1.5", "red_at_percent": "10", "version": "0"}
        assert client.post(self.url(plan), data).status_code == 302
        page = client.get(reverse("budgets:monitoring", args=[plan.slug, 2006]))
        assert "Amber when a line is 1.5% or more adverse, Red at 10% or more" in page_text(page)

    def test_red_below_amber_refused(self, client, plan, planner):
        client.force_login(planner)
        data = {"amber_at_percent": "5", "red_at_percent": "2", "version": "0"}
        response = client.post(self.url(plan), data)
        assert response.status_code == 400
        assert "Enter a Red threshold at least as large as the Amber one" in page_text(response)

    def test_stale_refused(self, client, plan, planner):
        client.force_login(planner)
        data = {"amber_at_percent": "3", "red_at_percent": "6", "version": "0"}
        assert client.post(self.url(plan), data).status_code == 302
        data = {"amber_at_percent": "4", "red_at_percent": "8", "version": "0"}
        response = client.post(self.url(plan), data)
        assert response.status_code == 409
        assert "Saved meanwhile: Amber at 3.00%, Red at 6.00%" in page_text(response)
        from budgets.models import BudgetSettings

        assert BudgetSettings.objects.get(plan=plan).amber_at_percent == D(3)


@pytest.mark.django_db
def test_a_line_of_another_plan_cannot_be_edited_through_this_one(client, plan, budget, planner):
    from tests.factories import IncomeLineFactory

    foreign = IncomeLineFactory(amount=D(1))
    client.force_login(planner)
    data = income_form_data(plan)
    data["income-0-id"] = str(foreign.pk)
    data["income-0-amount"] = "999"
    response = client.post(income_url(plan), data)
    assert response.status_code == 400
    assert "was changed or deleted by somebody else" in page_text(response)
    foreign.refresh_from_db()
    assert foreign.amount == D(1)
    assert D(999) not in amounts()


@pytest.mark.django_db
def test_changes_that_clash_with_each_other_save_nothing(client, plan, planner):
    """Swapping two lines' names passes the form's checks but not the database's, half way
    through: the whole save is rolled back and the planner told."""
    line = ServiceLine.objects.create(plan=plan, name="Estates", order=1)
    for label in ["Others", "Misc"]:
        IncomeLine.objects.create(
            plan=plan, financial_year=2006, funder_label=label, service_line=line, amount=D(1)
        )
    client.force_login(planner)
    data = income_form_data(plan)
    data["income-0-funder_label"], data["income-1-funder_label"] = "Misc", "Others"
    data["income-0-amount"] = "5"
    response = client.post(income_url(plan), data)
    assert response.status_code == 400
    assert "These changes clash with each other" in page_text(response)
    assert sorted(IncomeLine.objects.values_list("funder_label", "amount")) == [
        ("Misc", D(1)),
        ("Others", D(1)),
    ]
    assert BudgetYear.objects.filter(version__gt=0).count() == 0
