"""The planner's editing pages and services for a plan's lists (planning.ordering,
planning.services, planning.editing_views): narrative sections sanitised, version-checked edits,
reorders that cannot name another plan's items, refusal on a locked plan, audit, query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning import narrative, ordering, services
from planning.concurrency import StaleEditError
from planning.models import (
    PlanSection,
    PlanStatus,
    Programme,
    StrategicPriority,
    VisionBullet,
)
from tests.factories import (
    ObjectiveFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgrammeFactory,
    RoleFactory,
    StrategicPriorityFactory,
)

SMUGGLED = (
    '<p onclick="steal()" style="color:red">Our <em>ambition</em> '
    '<a href="javascript:alert(1)">bad link</a> <a href="https://www.nhs.uk/">NHS</a></p>'
    "<script>alert('owned')</script><style>body{display:none}</style>"
    '<img src="https://evil.example/track.png" onerror="steal()">'
    "<ul><li>First</li><li><strong>Second</strong></li></ul>"
)


def sections():
    return ordering.spec_for("sections")


def section(plan, by, title="Introduction", body=SMUGGLED):
    return services.list_item_create(
        spec=sections(),
        plan=plan,
        by=by,
        data={"kind": "introduction", "title": title, "body": body},
    )


def assert_safe(html: str) -> None:
    for banned in (
        "<script",
        "alert(",
        "onclick",
        "onerror",
        "style=",
        "<style",
        "<img",
        "evil.example",
        "javascript:",
        "steal()",
    ):
        assert banned not in html, banned


class TestNarrative:
    def test_sanitise_keeps_the_allowed_markup_only(self):
        html = narrative.sanitise(SMUGGLED)
        assert_safe(html)
        assert "<em>ambition</em>" in html
        assert '<a href="https://www.nhs.uk/"' in html
        assert "<ul><li>First</li><li><strong>Second</strong></li></ul>" in html

    def test_plain_text_becomes_escaped_paragraphs(self):
        html = narrative.to_html("One & two\n\nThree")
        assert html == "<p>One &amp; two</p><p>Three</p>"

    def test_a_row_written_without_the_service_is_cleaned_when_shown(self, plan):
        record = PlanSection.objects.create(plan=plan, kind="other", title="Raw", body=SMUGGLED)
        assert_safe(narrative.to_html(record.body))


@pytest.mark.django_db
class TestSectionsOnThePage:
    def test_saved_sanitised_and_shown_safe(self, client, plan, planner):
        client.force_login(planner)
        response = client.post(
            reverse("planning:edit_add", args=[plan.slug, "sections"]),
            {"kind": "introduction", "title": "Introduction", "body": SMUGGLED},
        )
        assert response.status_code == 302
        stored = PlanSection.objects.get(plan=plan)
        assert_safe(stored.body)
        assert "<em>ambition</em>" in stored.body
        page = client.get(reverse("planning:edit_list", args=[plan.slug, "sections"]))
        body = page.content.decode()
        assert "<em>ambition</em>" in body
        main = body.split("<main", 1)[1].split("</main>", 1)[0]
        assert_safe(main)

    def test_history_records_who(self, plan, planner):
        record = section(plan, planner)
        assert record.history.latest().history_user == planner


@pytest.mark.django_db
class TestListServices:
    def test_new_items_go_to_the_end(self, plan, planner):
        spec = ordering.spec_for("priorities")
        first = services.list_item_create(spec=spec, plan=plan, by=planner, data={"title": "A"})
        second = services.list_item_create(spec=spec, plan=plan, by=planner, data={"title": "B"})
        assert (first.number, second.number) == (1, 2)

    def test_move_swaps_numbers_and_versions(self, plan, planner):
        spec = ordering.spec_for("priorities")
        a = StrategicPriorityFactory(plan=plan, number=1, title="A")
        b = StrategicPriorityFactory(plan=plan, number=2, title="B")
        services.list_item_move(
            spec=spec, plan=plan, pk=b.pk, direction="up", by=planner, expected_version=b.version
        )
        a.refresh_from_db()
        b.refresh_from_db()
        assert (b.number, a.number) == (1, 2)
        assert (a.version, b.version) == (2, 2)
        titles = [p.title for p in StrategicPriority.objects.filter(plan=plan)]
        assert titles == ["B", "A"]

    def test_move_at_the_top_changes_nothing(self, plan, planner):
        spec = ordering.spec_for("priorities")
        a = StrategicPriorityFactory(plan=plan, number=1)
        services.list_item_move(
            spec=spec, plan=plan, pk=a.pk, direction="up", by=planner, expected_version=1
        )
        a.refresh_from_db()
        assert (a.number, a.version) == (1, 1)

    def test_a_reorder_naming_another_plans_item_is_refused(self, plan, planner, organisation):
        spec = ordering.spec_for("priorities")
        StrategicPriorityFactory(plan=plan, number=1)
        foreign = StrategicPriorityFactory(plan=PlanFactory(organisation=organisation), number=2)
        with pytest.raises(ValidationError, match="not part of this plan"):
            services.list_item_move(
                spec=spec,
                plan=plan,
                pk=foreign.pk,
                direction="up",
                by=planner,
                expected_version=foreign.version,
            )
        foreign.refresh_from_db()
        assert (foreign.number, foreign.version) == (2, 1)

    def test_stale_version_is_refused_and_nothing_saved(self, plan, planner):
        spec = ordering.spec_for("vision")
        bullet = services.list_item_create(spec=spec, plan=plan, by=planner, data={"text": "Old"})
        services.list_item_update(
            spec=spec,
            plan=plan,
            pk=bullet.pk,
            by=planner,
            expected_version=1,
            data={"text": "Theirs"},
        )
        with pytest.raises(StaleEditError):
            services.list_item_update(
                spec=spec,
                plan=plan,
                pk=bullet.pk,
                by=planner,
                expected_version=1,
                data={"text": "Mine"},
            )
        assert VisionBullet.objects.get(pk=bullet.pk).text == "Theirs"

    @pytest.mark.parametrize("status", [PlanStatus.RATIFIED, PlanStatus.SUPERSEDED])
    def test_locked_plan_refuses_every_change(self, plan, planner, status):
        spec = ordering.spec_for("vision")
        bullet = VisionBullet.objects.create(plan=plan, text="Kept", order=1)
        plan.status = status
        plan.save()
        calls = [
            lambda: services.list_item_create(spec=spec, plan=plan, by=planner, data={"text": "x"}),
            lambda: services.list_item_update(
                spec=spec,
                plan=plan,
                pk=bullet.pk,
                by=planner,
                expected_version=1,
                data={"text": "x"},
            ),
            lambda: services.list_item_move(
                spec=spec,
                plan=plan,
                pk=bullet.pk,
                direction="down",
                by=planner,
                expected_version=1,
            ),
            lambda: services.list_item_delete(
                spec=spec, plan=plan, pk=bullet.pk, by=planner, expected_version=1
            ),
        ]
        for call in calls:
            with pytest.raises(ValidationError, match="locked"):
                call()
        assert list(VisionBullet.objects.filter(plan=plan).values_list("text", flat=True)) == [
            "Kept"
        ]

    def test_delete_refused_while_referenced(self, plan, planner, organisation):
        unit = OrgUnitFactory(organisation=organisation)
        programme = ProgrammeFactory(plan=plan)
        ObjectiveFactory(plan=plan, org_unit=unit, programme=programme)
        for key, item in (("departments", unit), ("programmes", programme)):
            with pytest.raises(ValidationError, match="cannot be deleted"):
                services.list_item_delete(
                    spec=ordering.spec_for(key),
                    plan=plan,
                    pk=item.pk,
                    by=planner,
                    expected_version=item.version,
                )
            assert type(item).objects.filter(pk=item.pk).exists()

    def test_a_link_to_another_organisations_record_is_refused(self, plan, planner):
        foreign_role = RoleFactory()
        with pytest.raises(ValidationError):
            services.list_item_create(
                spec=ordering.spec_for("programmes"),
                plan=plan,
                by=planner,
                data={"title": "P", "aim": "", "lead_text": "", "lead_role": foreign_role},
            )
        assert not Programme.objects.filter(plan=plan).exists()

    def test_the_form_lists_only_the_organisations_roles(self, plan):
        own = RoleFactory(organisation=plan.organisation)
        RoleFactory()
        form = ordering.form_for(ordering.spec_for("programmes"), plan)
        assert list(form.fields["lead_role"].queryset) == [own]

    def test_delete_unreferenced_is_audited(self, plan, planner):
        spec = ordering.spec_for("vision")
        bullet = VisionBullet.objects.create(plan=plan, text="Gone", order=1)
        services.list_item_delete(
            spec=spec, plan=plan, pk=bullet.pk, by=planner, expected_version=1
        )
        assert not VisionBullet.objects.filter(pk=bullet.pk).exists()
        deleted = VisionBullet.history.filter(id=bullet.pk, history_type="-").get()
        assert deleted.history_user == planner


@pytest.mark.django_db
class TestViews:
    def test_stale_edit_page_is_409_and_keeps_theirs(self, client, plan, planner):
        bullet = VisionBullet.objects.create(plan=plan, text="Theirs", order=1, version=3)
        client.force_login(planner)
        url = reverse("planning:edit_item", args=[plan.slug, "vision", bullet.pk])
        response = client.post(url, {"text": "Mine", "version": "2"})
        assert response.status_code == 409
        body = response.content.decode()
        assert "not saved" in body
        assert "Theirs" in body
        assert VisionBullet.objects.get(pk=bullet.pk).text == "Theirs"

    def test_move_of_another_plans_item_is_refused_and_changes_nothing(
        self, client, plan, planner, organisation
    ):
        other = PlanFactory(organisation=organisation)
        foreign = StrategicPriorityFactory(plan=other, number=2)
        StrategicPriorityFactory(plan=other, number=1)
        client.force_login(planner)
        url = reverse("planning:edit_move", args=[plan.slug, "priorities", foreign.pk])
        response = client.post(url, {"version": "1", "direction": "up"})
        assert response.status_code == 400
        foreign.refresh_from_db()
        assert foreign.number == 2

    def test_move_button_reorders(self, client, plan, planner):
        a = StrategicPriorityFactory(plan=plan, number=1, title="A")
        b = StrategicPriorityFactory(plan=plan, number=2, title="B")
        client.force_login(planner)
        url = reverse("planning:edit_move", args=[plan.slug, "priorities", a.pk])
        response = client.post(url, {"version": "1", "direction": "down"})
        assert response.status_code == 302
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.number, b.number) == (2, 1)

    def test_locked_plan_move_shows_the_reason(self, client, plan, planner):
        a = StrategicPriorityFactory(plan=plan, number=1)
        StrategicPriorityFactory(plan=plan, number=2)
        plan.status = PlanStatus.RATIFIED
        plan.save()
        client.force_login(planner)
        url = reverse("planning:edit_move", args=[plan.slug, "priorities", a.pk])
        response = client.post(url, {"version": "1", "direction": "down"})
        assert response.status_code == 400
        assert "Start a refresh" in response.content.decode()
        a.refresh_from_db()
        assert a.number == 1

    def test_bad_input_shows_the_error_summary_and_saves_nothing(self, client, plan, planner):
        client.force_login(planner)
        url = reverse("planning:edit_add", args=[plan.slug, "sections"])
        response = client.post(url, {"kind": "nonsense", "title": "", "body": "x"})
        assert response.status_code == 400
        assert "nhsuk-error-summary" in response.content.decode()
        assert not PlanSection.objects.filter(plan=plan).exists()

    def test_plan_page_links_for_planners_only(self, client, plan, planner, contributor):
        url = reverse("planning:edit_list", args=[plan.slug, "sections"])
        client.force_login(planner)
        assert url in client.get(plan.get_absolute_url()).content.decode()
        client.force_login(contributor)
        assert url not in client.get(plan.get_absolute_url()).content.decode()

    @pytest.mark.parametrize("kind", ["sections", "priorities", "departments", "swot", "pestel"])
    def test_list_page_queries_do_not_grow(
        self, client, plan, planner, kind, django_assert_max_num_queries
    ):
        spec = ordering.spec_for(kind)
        client.force_login(planner)
        url = reverse("planning:edit_list", args=[plan.slug, kind])

        def add(count):
            for n in range(count):
                data = {
                    "kind": "team" if kind == "departments" else "other",
                    "title": f"T{n}-{count}",
                    "body": "<p><em>x</em></p>",
                    "text": f"Item {n}",
                    "name": f"Unit {n}-{count}",
                    "quadrant": "S",
                    "category": "legal",
                    "aim": "",
                    "lead_text": "",
                }
                services.list_item_create(spec=spec, plan=plan, by=planner, data=data)

        add(2)
        client.get(url)  # warm the session and memberships
        with django_assert_max_num_queries(12) as small:
            assert client.get(url).status_code == 200
        add(20)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url).status_code == 200
