"""delivery.services_hierarchy: items in their tree, timescales, progress with no lost update,
year figures; each refusal names the field and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from delivery import services_hierarchy as services
from delivery.models import DeliveryItem, DeliveryUpdate, YearFigure
from planning.concurrency import StaleEditError
from planning.models import PartnershipMember
from tests.delivery.factories_hierarchy import (
    DeliveryItemFactory,
    DeliveryUpdateFactory,
    YearFigureFactory,
)
from tests.factories import OrganisationFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = Decimal


def data(**kwargs):
    base = {"level": "programme", "parent": None, "reference": "P1", "title": "Programme"}
    return base | kwargs


def field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def plan(planner):
    return PlanFactory(
        organisation=planner.memberships.get().organisation, start_year=2009, end_year=2011
    )


class TestTree:
    def test_each_level_sits_under_its_parent_level(self, plan, planner):
        programme = services.item_create(plan=plan, by=planner, data=data())
        workstream = services.item_create(
            plan=plan, by=planner, data=data(level="workstream", parent=programme, reference="W1")
        )
        assert workstream.parent == programme and workstream.order == 0
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(
                plan=plan, by=planner, data=data(level="milestone", parent=programme, reference="M")
            )
        assert (
            "A milestone sits under an intervention or project; P1 is a programme."
            in field_errors(excinfo)["parent"][0]
        )
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(
                plan=plan, by=planner, data=data(level="workstream", reference="W2")
            )
        assert "Choose the programme" in field_errors(excinfo)["parent"][0]
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(plan=plan, by=planner, data=data(parent=programme, reference="P2"))
        assert "at the top" in field_errors(excinfo)["parent"][0]
        assert DeliveryItem.objects.count() == 2

    def test_a_parent_of_another_plan_is_refused(self, plan, planner):
        foreign = DeliveryItemFactory()
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(
                plan=plan, by=planner, data=data(level="workstream", parent=foreign)
            )
        assert field_errors(excinfo)["parent"] == ["Choose an item of this plan."]

    def test_a_reference_is_unique_in_the_plan(self, plan, planner):
        services.item_create(plan=plan, by=planner, data=data())
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(plan=plan, by=planner, data=data(title="Again"))
        assert "already has the reference P1" in field_errors(excinfo)["reference"][0]

    def test_an_item_with_children_keeps_its_level(self, plan, planner):
        programme = DeliveryItemFactory(plan=plan)
        DeliveryItemFactory(parent=programme)
        with pytest.raises(ValidationError) as excinfo:
            services.item_update(
                item=programme, by=planner, expected_version=1, data={"level": "workstream"}
            )
        assert "level" in field_errors(excinfo)

    def test_organisations_involved_are_the_partnerships_members(self, plan, planner):
        member, outsider = OrganisationFactory(name="Croydon"), OrganisationFactory(name="Mars")
        PartnershipMember.objects.create(partnership=plan.organisation, member=member)
        item = services.item_create(
            plan=plan, by=planner, data=data(organisations=[member, plan.organisation])
        )
        assert set(item.organisations.all()) == {member, plan.organisation}
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(
                plan=plan, by=planner, data=data(reference="P2", organisations=[member, outsider])
            )
        assert field_errors(excinfo)["organisations"][0].startswith("Mars is not a member of")
        assert not DeliveryItem.objects.filter(reference="P2").exists()

    def test_a_ratified_plan_is_locked(self, plan, planner):
        plan.status = "ratified"
        plan.save()
        with pytest.raises(ValidationError, match="locked"):
            services.item_create(plan=plan, by=planner, data=data())

    def test_moving_swaps_with_the_neighbour_among_siblings_only(self, plan, planner):
        programme = DeliveryItemFactory(plan=plan)
        first, second = DeliveryItemFactory(parent=programme), DeliveryItemFactory(parent=programme)
        services.item_move(item=second, by=planner, expected_version=1, up=True)
        children = list(programme.children.order_by("order", "pk"))
        assert children == [second, first]
        assert not services.item_move(item=second, by=planner, expected_version=2, up=True)
        with pytest.raises(StaleEditError):
            services.item_move(item=second, by=planner, expected_version=1, up=False)

    def test_a_new_parent_puts_the_item_last_there(self, plan, planner):
        one, two = DeliveryItemFactory(plan=plan), DeliveryItemFactory(plan=plan)
        DeliveryItemFactory(parent=two)
        moving = DeliveryItemFactory(parent=one)
        moved = services.item_update(
            item=moving, by=planner, expected_version=1, data={"parent": two}
        )
        assert moved.parent == two and moved.order == 1

    def test_delete_is_refused_while_anything_refers_to_the_item(self, plan, planner):
        programme = DeliveryItemFactory(plan=plan)
        workstream = DeliveryItemFactory(parent=programme)
        refusal = services.delete_refusal(programme)
        assert refusal and "delivery items" in refusal
        with pytest.raises(ValidationError):
            services.item_delete(item=programme, by=planner, expected_version=1)
        DeliveryUpdateFactory(item=workstream)
        assert "delivery updates" in services.delete_refusal(workstream)
        bare = DeliveryItemFactory(parent=programme)
        services.item_delete(item=bare, by=planner, expected_version=1)
        assert not DeliveryItem.objects.filter(pk=bare.pk).exists()
        assert bare.history.first().history_type == "-"


class TestTimescales:
    def test_a_relative_timescale_resolves_from_the_start(self, plan, planner):
        item = services.item_create(
            plan=plan,
            by=planner,
            data=data(timescale_text="3 months – 3 years", start_date=dt.date(2009, 11, 3)),
        )
        assert (item.due_date, item.due_date_latest) == (dt.date(2010, 2, 3), dt.date(2012, 11, 3))
        # A later start moves the window: the dates shown in the form are the old ones.
        item = services.item_update(
            item=item,
            by=planner,
            expected_version=1,
            data={
                "start_date": dt.date(2010, 1, 1),
                "due_date": item.due_date,
                "due_date_latest": item.due_date_latest,
            },
        )
        assert (item.due_date, item.due_date_latest) == (dt.date(2010, 4, 1), dt.date(2013, 1, 1))

    def test_without_a_start_the_text_is_kept_and_no_date_guessed(self, plan, planner):
        item = services.item_create(
            plan=plan, by=planner, data=data(timescale_text="within 3 months")
        )
        assert item.timescale_text == "within 3 months" and item.due_date is None

    def test_a_typed_date_that_contradicts_the_timescale_is_refused(self, plan, planner):
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(
                plan=plan,
                by=planner,
                data=data(timescale_text="by March 2010", due_date=dt.date(2010, 6, 1)),
            )
        assert "gives 31 March 2010" in field_errors(excinfo)["due_date"][0]

    def test_an_impossible_date_is_refused_on_the_timescale(self, plan, planner):
        with pytest.raises(ValidationError) as excinfo:
            services.item_create(
                plan=plan, by=planner, data=data(timescale_text="31 February 2010")
            )
        assert "timescale_text" in field_errors(excinfo)


class TestProgress:
    def update(self, item, by, version, **kwargs):
        values = {"as_at": dt.date(2010, 1, 31), "rag": "green", "status": "in_progress"}
        return services.update_create(
            item=item,
            by=by,
            expected_version=version,
            today=dt.date(2011, 1, 1),
            **(values | kwargs),
        )

    def test_the_item_takes_the_newest_updates_status_and_rag(self, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        first = self.update(item, planner, 1, rag="amber", progress="Slow")
        item.refresh_from_db()
        assert (item.status, item.rag, item.latest_update, item.version) == (
            "in_progress",
            "amber",
            first,
            2,
        )
        # An update about an earlier date is history, not the current state.
        self.update(item, planner, 2, as_at=dt.date(2009, 12, 1), rag="red", progress="Stuck")
        item.refresh_from_db()
        assert item.latest_update == first and item.rag == "amber"

    def test_a_stale_update_is_refused_with_what_changed(self, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        theirs = self.update(item, planner, 1)
        with pytest.raises(StaleEditError) as excinfo:
            self.update(item, planner, 1, rag="red", progress="Mine")
        assert excinfo.value.changes == [theirs]
        assert DeliveryUpdate.objects.count() == 1

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"rag": "red", "progress": ""}, "progress"),
            ({"status": "completed", "rag": "green"}, "rag"),
            ({"rag": "blue", "status": "in_progress"}, "status"),
            ({"as_at": dt.date(2012, 1, 1)}, "as_at"),
            ({"as_at": dt.date(2008, 1, 1)}, "as_at"),
            # The save leaves Django's per-constraint database check out (check_update says
            # the same first): each constraint is still refused on its field, nothing saved.
            ({"rag": "purple"}, "rag"),
            ({"status": "dormant"}, "status"),
        ],
    )
    def test_the_rules_of_an_update(self, plan, planner, values, field):
        item = DeliveryItemFactory(plan=plan)
        with pytest.raises(ValidationError) as excinfo:
            self.update(item, planner, 1, **values)
        assert field in field_errors(excinfo)
        assert not DeliveryUpdate.objects.exists()
        item.refresh_from_db()
        assert item.version == 1

    def test_progress_is_recorded_on_a_ratified_plan(self, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        plan.status = "ratified"
        plan.save()
        self.update(item, planner, 1)
        assert DeliveryUpdate.objects.count() == 1

    def test_every_constraint_is_one_the_rules_cover(self):
        # A new constraint on DeliveryUpdate must be added to check_update (and to the cases).
        assert {c.name for c in DeliveryUpdate._meta.constraints} == {
            "delivery_update_rag_valid",
            "delivery_update_status_valid",
        }

    def test_the_database_still_enforces_them(self, plan, planner):
        from django.db import IntegrityError, transaction

        item = DeliveryItemFactory(plan=plan)
        with pytest.raises(IntegrityError), transaction.atomic():
            DeliveryUpdate.objects.create(
                item=item,
                created_by=planner,
                as_at=dt.date(2010, 1, 31),
                rag="purple",
                status="in_progress",
            )

    def test_a_save_runs_no_query_per_constraint(
        self, plan, planner, django_assert_max_num_queries
    ):
        item = DeliveryItemFactory(plan=plan)
        self.update(item, planner, 1)  # the first save reads what later ones find cached
        with django_assert_max_num_queries(10):  # 16 when each constraint was asked
            self.update(item, planner, 2)


class TestFigures:
    def figure(self, **kwargs):
        base = {
            "measure": "gross_savings",
            "financial_year": 2010,
            "low": D("3400000"),
            "high": D("5400000"),
            "confidence": "estimate",
            "recurring": False,
            "note": "",
        }
        return base | kwargs

    def test_one_figure_alone_is_a_point(self, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        figure = services.figure_create(item=item, by=planner, data=self.figure(low=None))
        assert (figure.low, figure.high) == (D("5400000"), D("5400000"))

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"low": D("6"), "high": D("5")}, "low"),
            ({"low": None, "high": None}, "low"),
            ({"financial_year": 2008}, "financial_year"),
            ({"financial_year": 2012}, "financial_year"),
        ],
    )
    def test_bad_figures_are_refused_on_their_field(self, plan, planner, values, field):
        item = DeliveryItemFactory(plan=plan)
        with pytest.raises(ValidationError) as excinfo:
            services.figure_create(item=item, by=planner, data=self.figure(**values))
        assert field in field_errors(excinfo)
        assert not YearFigure.objects.exists()

    def test_a_year_not_stated_is_allowed_once_per_measure_and_confidence(self, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        services.figure_create(item=item, by=planner, data=self.figure(financial_year=None))
        with pytest.raises(ValidationError) as excinfo:
            services.figure_create(item=item, by=planner, data=self.figure(financial_year=None))
        assert "financial_year" in field_errors(excinfo)
        services.figure_create(
            item=item, by=planner, data=self.figure(financial_year=None, confidence="delivered")
        )
        assert YearFigure.objects.count() == 2

    def test_a_ratified_plan_takes_delivered_figures_only(self, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        planned = YearFigureFactory(item=item, financial_year=2009)
        plan.status = "ratified"
        plan.save()
        with pytest.raises(ValidationError, match="Delivered figures may still be recorded"):
            services.figure_create(item=item, by=planner, data=self.figure())
        with pytest.raises(ValidationError):
            services.figure_delete(figure=planned, by=planner, expected_version=1)
        services.figure_create(item=item, by=planner, data=self.figure(confidence="delivered"))

    def test_a_stale_figure_edit_is_refused(self, plan, planner):
        figure = YearFigureFactory(item=DeliveryItemFactory(plan=plan), financial_year=2009)
        services.figure_update(figure=figure, by=planner, expected_version=1, data=self.figure())
        with pytest.raises(StaleEditError):
            services.figure_update(
                figure=figure, by=planner, expected_version=1, data=self.figure(low=D("1"))
            )
        figure.refresh_from_db()
        assert figure.low == D("3400000") and figure.version == 2
