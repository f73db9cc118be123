"""objectives.rows draws the plan page's rows in Python: byte for byte the template loop it
replaced (kept here as the reference), whatever the item's fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines

from objectives.models import Objective
from objectives.rows import objective_rows
from tests.factories import (
    GoalFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    ProgrammeFactory,
    RoleFactory,
)

# The loop of templates/reporting/plan_detail.html before objectives.rows replaced it.
REFERENCE = (
    "{% load waymark %}{% for objective in objectives %}\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <td class="nhsuk-table__cell">{{ objective.reference|default:"—" }}</td>\n'
    '          <td class="nhsuk-table__cell">\n'
    '            <a href="{{ objective.get_absolute_url }}">{{ objective.text }}</a>\n'
    "            {% if objective.is_new %}"
    '{% include "components/tag.html" with text="New" colour="purple" %}{% endif %}\n'
    "          </td>\n"
    '          {% if show_grouping %}<td class="nhsuk-table__cell">'
    '{{ objective.grouping|default:"—" }}</td>{% endif %}\n'
    '          <td class="nhsuk-table__cell">{% if objective.lead_text %}{{ objective.lead_text }}'
    '{% else %}{{ objective.lead_roles.all|join:", "|default:"—" }}{% endif %}</td>\n'
    '          <td class="nhsuk-table__cell">\n'
    "            {{ objective.due_text }}\n"
    '            {% if objective.due_date %}<span class="app-due-date">'
    '{{ objective.due_date|date:"j M Y" }}</span>'
    "{% elif not objective.due_text %}—{% endif %}\n"
    "          </td>\n"
    '          <td class="nhsuk-table__cell app-nowrap">'
    "{% rag_tag objective.rag complete=objective.is_complete %}</td>\n"
    "        </tr>\n"
    "        {% endfor %}"
)


@pytest.fixture
def varied(plan, organisation):
    unit = OrgUnitFactory(organisation=organisation, name="Estates & <Facilities>")
    programme = ProgrammeFactory(plan=plan, title="Digital")
    goal = GoalFactory(plan=plan, programme=programme, title="Paperless by 2027")
    lead_a = RoleFactory(organisation=organisation, title="Director of <Nursing>", abbreviation="")
    lead_b = RoleFactory(organisation=organisation, title="Chief Nurse", abbreviation="CN")
    items = [
        ObjectiveFactory(plan=plan, reference="", text="Plain & <simple>", due_date=None),
        ObjectiveFactory(
            plan=plan,
            is_new=True,
            org_unit=unit,
            lead_text='Head of "Estates"',
            due_text="Q3 <2025>",
            due_date=dt.date(2025, 12, 31),
            rag="amber",
            status="in_progress",
        ),
        ObjectiveFactory(plan=plan, goal=goal, due_text="Ongoing", due_date=None, rag="red"),
        ObjectiveFactory(plan=plan, programme=programme, status="completed", rag=""),
        ObjectiveFactory(plan=plan, status="completed", rag="blue", due_date=dt.date(2026, 1, 5)),
    ]
    items[0].lead_roles.add(lead_a, lead_b)
    items[2].lead_roles.add(lead_b)
    items[1].lead_roles.add(lead_a)  # not shown: its lead as written wins
    return plan


@pytest.mark.django_db
@pytest.mark.parametrize("show_grouping", [True, False])
def test_rows_are_the_template_loop_byte_for_byte(varied, show_grouping):
    objectives = list(
        Objective.objects.for_plan(varied).for_plan_page().prefetch_related("lead_roles")
    )
    expected = (
        engines["django"]
        .from_string(REFERENCE)
        .render({"objectives": objectives, "show_grouping": show_grouping})
    )
    drawn = objective_rows(
        objectives,
        show_grouping=show_grouping,
        lead_names=Objective.lead_role_names(varied),
    )
    assert drawn == expected
    assert "Chief Nurse (CN), Director of &lt;Nursing&gt;" in drawn  # in the roles' order


@pytest.mark.django_db
def test_plan_page_shows_a_changed_item_at_once(client, viewer, plan):
    """Nothing is cached between requests: an edit shows on the next page."""
    item = ObjectiveFactory(plan=plan, text="Before", rag="green")
    client.force_login(viewer)
    assert "Before" in client.get(plan.get_absolute_url()).text
    Objective.objects.filter(pk=item.pk).update(text="After", rag="red")
    body = client.get(plan.get_absolute_url()).text
    assert "After" in body and "Before" not in body
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Red</strong>' in body


def _table_html(request, queryset, template_name):
    from django_tables2 import RequestConfig

    from objectives.tables import ObjectiveTable

    table = ObjectiveTable(queryset, template_name=template_name)
    RequestConfig(request, paginate={"per_page": 3}).configure(table)
    return table.as_html(request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=-due_date",
        "sort=rag&page=2",
        "sort=lead_text",
        # Other filters kept in the header's sort links, escaped.
        "q=%3Cb%3E+%26+%22x%22&rag=red&rag=none&sort=-reference",
    ],
)
def test_objectives_table_is_components_table_byte_for_byte(rf, varied, query):
    """The objectives table's template draws its header and rows in Python: the same HTML as
    the generic components/table.html draws through django-tables2, sorted and paged alike."""
    ObjectiveFactory(
        plan=varied, lead_text="Ops <lead>", sro_text='The "SRO"', text="Café & co", rag="green"
    )
    request = rf.get(f"/objectives/?{query}")
    queryset = Objective.objects.for_plan(varied).with_related()
    expected = _table_html(request, queryset, "components/table.html")
    drawn = _table_html(request, queryset, "objectives/_objective_table.html")
    assert drawn == expected
    assert drawn.count("<tr") == 4  # the header and a page of 3


@pytest.mark.django_db
def test_empty_objectives_table_is_components_table_byte_for_byte(rf, plan):
    request = rf.get("/objectives/")
    queryset = Objective.objects.none()
    assert _table_html(request, queryset, "objectives/_objective_table.html") == _table_html(
        request, queryset, "components/table.html"
    )
