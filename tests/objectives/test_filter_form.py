"""objectives.filter_form draws the objectives table's filter form in Python: byte for byte what
the form renderer's templates draw (kept here as the reference), whatever the choices' texts and
the values chosen; a field with errors is still drawn by the templates."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.template import engines
from django.test.utils import CaptureQueriesContext

from objectives import filter_form
from objectives.filters import objective_filter
from tests.factories import (
    GoalFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgrammeFactory,
    RoleFactory,
    StrategicPriorityFactory,
    UserFactory,
)

# The loop of templates/objectives/objective_list.html before objectives.filter_form replaced it.
REFERENCE = "{% for field in form %}<div>{{ field.as_field_group }}</div>{% endfor %}"


@pytest.fixture
def marked_up(plan, organisation):
    """A choice in every drop-down, each with text full of markup."""
    second = PlanFactory(organisation=organisation, title='Second <Plan> & "co"')
    unit = OrgUnitFactory(organisation=organisation, name='Estates & <Facilities> "HQ"')
    role = RoleFactory(organisation=organisation, title="Director of <Nursing>", abbreviation="D&N")
    RoleFactory(organisation=organisation, title="Chief 'Nurse'", abbreviation="")
    programme = ProgrammeFactory(plan=plan, title="Digital & <data>")
    GoalFactory(plan=second, programme=None, title="Paperless <b>by</b> 2027")
    priority = StrategicPriorityFactory(plan=plan, title="People & 'culture'")
    return {
        "plan": second.pk,
        "org_unit": unit.pk,
        "role": role.pk,
        "programme": programme.pk,
        "strategic_priority": priority.pk,
    }


def _both_ways(user, query: str) -> tuple[str, str]:
    """The filter fields through the templates (`drawn` off) and drawn, for the same data."""
    reference = objective_filter(user, QueryDict(query)).form
    for field in reference.fields.values():
        field.widget.drawn = False
    expected = engines["django"].from_string(REFERENCE).render({"form": reference})
    form = objective_filter(user, QueryDict(query)).form
    assert all(isinstance(f.widget, filter_form.DRAWN_WIDGETS) for f in form.fields.values())
    return expected, filter_form.filter_fields(form)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=%3Cscript%3E+%26+%22x%22&rag=none&status=completed",
        "plan={plan}&org_unit={org_unit}&role={role}&programme={programme}"
        "&strategic_priority={strategic_priority}&is_new=on&due_from=2025-04-01&due_to=2026-03-31",
        # Errors: those fields are drawn by the templates, the others in Python.
        "plan=999999&due_from=not-a-date&q=kept",
    ],
)
def test_filter_fields_are_the_templates_byte_for_byte(viewer, marked_up, query):
    expected, drawn = _both_ways(viewer, query.format(**marked_up))
    assert drawn == expected
    assert "Estates &amp; &lt;Facilities&gt; &quot;HQ&quot;" in drawn
    assert "Director of &lt;Nursing&gt; (D&amp;N)" in drawn
    assert drawn.count("<select") == 8


@pytest.mark.django_db
def test_chosen_values_and_errors_are_shown(viewer, marked_up):
    _, drawn = _both_ways(viewer, "q=%22budgets%22&role={role}&is_new=on".format(**marked_up))
    assert 'value="&quot;budgets&quot;"' in drawn
    assert f'<option value="{marked_up["role"]}" selected>' in drawn
    assert 'name="is_new" id="id_is_new" class="nhsuk-checkboxes__input" checked>' in drawn
    _, drawn = _both_ways(viewer, "due_from=not-a-date")
    assert "nhsuk-form-group--error" in drawn
    assert 'aria-invalid="true"' in drawn


@pytest.mark.django_db
def test_superuser_sees_every_organisations_choices(plan, other_organisation, marked_up):
    """A superuser's choices come through the permission subquery (no ids to read): every
    organisation's, drawn the same."""
    foreign = PlanFactory(organisation=other_organisation, title="Foreign Plan")
    superuser = UserFactory(is_superuser=True)
    expected, drawn = _both_ways(superuser, "")
    assert drawn == expected
    assert foreign.title in drawn and "Second &lt;Plan&gt;" in drawn


@pytest.mark.django_db
def test_each_list_is_read_once_by_one_plain_query(viewer, marked_up):
    """Drawing the form reads each drop-down's records with one query (no server-side cursor)
    and drawing it again reads nothing more."""
    form = objective_filter(viewer, QueryDict("")).form
    with CaptureQueriesContext(connection) as ctx:
        first = filter_form.filter_fields(form)
        second = filter_form.filter_fields(form)
    assert first == second
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == 6  # plans, departments, programmes, goals, priorities, roles
    assert not any(s.startswith("DECLARE") for s in sql)
