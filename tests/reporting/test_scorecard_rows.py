# ruff: noqa: E501 - the references are the template loops verbatim, one template line a line
"""reporting.rows draws the scorecard's exceptions and changes in Python: byte for byte the
template loops they replaced (kept here as the references), whatever the items' texts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.template import engines

from planning.fy import Quarter
from reporting.rows import change_rows, exception_rows, rollup_rows
from reporting.scorecard import scorecard_for
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    ProgrammeFactory,
    ProgressUpdateFactory,
)

# The loops of templates/reporting/scorecard.html before reporting.rows replaced them.
EXCEPTIONS = (
    "{% load waymark %}"
    "{% for item in items %}\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <td class="nhsuk-table__cell"><a href="{{ item.url }}">{% if item.reference %}{{ item.reference }} {% endif %}{{ item.title }}</a><span class="app-secondary-text">{{ item.group }}</span></td>\n'
    '          <td class="nhsuk-table__cell app-nowrap">{% rag_tag item.rag %}</td>\n'
    '          <td class="nhsuk-table__cell">{% if item.narrative %}{{ item.narrative|linebreaksbr }}{% else %}No narrative given.{% endif %}{% if item.period %}<span class="app-secondary-text">{{ item.period }}</span>{% endif %}</td>\n'
    "        </tr>\n"
    "        {% endfor %}"
)
CHANGES = (
    "{% load waymark %}"
    "{% for c in changes %}\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <td class="nhsuk-table__cell"><a href="{{ c.url }}">{% if c.reference %}{{ c.reference }} {% endif %}{{ c.title }}</a><span class="app-secondary-text">{{ c.kind }}</span></td>\n'
    '          <td class="nhsuk-table__cell">{{ c.what }}</td>\n'
    '          {% if c.what == "RAG" %}\n'
    '          <td class="nhsuk-table__cell app-nowrap">{% rag_tag c.before complete=c.before_complete %}</td>\n'
    '          <td class="nhsuk-table__cell app-nowrap">{% rag_tag c.after complete=c.after_complete %}</td>\n'
    "          {% else %}\n"
    '          <td class="nhsuk-table__cell">{{ c.before_text }}</td>\n'
    '          <td class="nhsuk-table__cell">{{ c.after_text }}</td>\n'
    "          {% endif %}\n"
    "        </tr>\n"
    "        {% endfor %}"
)

# The roll-up tables' loop (the rollup_table partial) before reporting.rows replaced it.
ROLLUPS = (
    "{% for row in rows %}\n"
    '        <tr class="nhsuk-table__row">\n'
    '          <th scope="row" class="nhsuk-table__header">{{ row.label }}</th>\n'
    "          {% for c in row.counts %}\n"
    '          <td class="nhsuk-table__cell nhsuk-table__cell--numeric app-nowrap">{{ c.count }}{% if row.total %} <span class="app-share">({{ c.share }}%)</span>{% endif %}</td>\n'
    "          {% endfor %}\n"
    '          <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{{ row.total }}</td>\n'
    "        </tr>\n"
    "        {% endfor %}"
)

Q1, Q2 = Quarter(2006, 1), Quarter(2006, 2)


@pytest.fixture
def card(plan, organisation):
    """A scorecard with Red, Amber, completed and unrated objectives and KPIs that changed,
    every text full of markup."""
    unit = OrgUnitFactory(organisation=organisation, name="Estates & <Facilities>")
    programme = ProgrammeFactory(plan=plan, number=2, title='The "digital" <programme>')
    items = [
        ObjectiveFactory(plan=plan, reference="A<1>", text="Fix & <mend>", org_unit=unit),
        ObjectiveFactory(plan=plan, reference="", text='No "reference"', programme=programme),
        ObjectiveFactory(plan=plan, reference="C3", text="Done <quietly>"),
        ObjectiveFactory(plan=plan, reference="D4", text="Silent"),
    ]
    narratives = ["Line one <b>\r\nline two & three\n\nafter a gap", "", "Finished", ""]
    for item, (before, now), narrative in zip(
        items,
        [("green", "red"), ("red", "amber"), ("amber", "blue"), ("red", "")],
        narratives,
        strict=True,
    ):
        ProgressUpdateFactory(objective=item, financial_year=2006, quarter=1, rag=before)
        done = now in ("blue", "") and item.reference != "D4"
        ProgressUpdateFactory(
            objective=item,
            financial_year=2006,
            quarter=2,
            rag=now,
            status="completed" if done else "in_progress",
            percent_complete=100 if done else 50,
            narrative=narrative,
        )
    kpi = KPIFactory(
        plan=plan,
        code="F<9>",
        name='Spend "&" <more>',
        perspective="F",
        target=D("50"),
        tolerance=D("5"),
    )
    quarter = Quarter(2003, 1)
    while quarter <= Q1:  # steady, then a fall: a special cause this quarter, not the last
        MeasurementFactory(kpi=kpi, period_start=quarter.start, value=D(60 + quarter.number % 2))
        quarter = quarter.next()
    MeasurementFactory(
        kpi=kpi, period_start=Q2.start, value=D("10"), commentary="<i>Fell</i>\nbadly"
    )
    return scorecard_for(plan, Q2)


def _render(reference: str, **context) -> str:
    return engines["django"].from_string(reference).render(context)


@pytest.mark.django_db
def test_exception_rows_are_the_template_loop_byte_for_byte(card):
    for items in (card.kpi_exceptions, card.objective_exceptions):
        assert items
        drawn = exception_rows(items)
        assert drawn == _render(EXCEPTIONS, items=items)
    drawn = exception_rows(card.objective_exceptions)
    assert "Line one &lt;b&gt;<br>line two &amp; three<br><br>after a gap" in drawn
    assert "No narrative given." in drawn and "<b>" not in drawn


@pytest.mark.django_db
def test_change_rows_are_the_template_loop_byte_for_byte(card):
    assert {(c.kind, c.what) for c in card.changes} == {
        ("KPI", "RAG"),
        ("KPI", "Variation"),
        ("Objective", "RAG"),
    }
    drawn = change_rows(card.changes)
    assert drawn == _render(CHANGES, changes=card.changes)
    assert "Fix &amp; &lt;mend&gt;" in drawn and "<mend>" not in drawn
    assert change_rows([]) == _render(CHANGES, changes=[]) == ""


@pytest.mark.django_db
def test_rollup_rows_are_the_template_loop_byte_for_byte(card, plan):
    from planning.models import StrategicPriority
    from reporting.scorecard import Rollup, _by_priority, _rollup

    priority = StrategicPriority.objects.create(plan=plan, number=7, title="Care & <kindness>")
    tables = [
        card.by_department,  # a department and a programme full of markup, and neither
        card.totals,
        _by_priority(card.objectives, [priority]),  # no objective linked: a row of noughts
        [_rollup("Big & <many>", card.objectives * 400)],  # four-figure counts
        [Rollup(label="Empty", counts=_rollup("x", []).counts, total=0)],  # no shares shown
        [],
    ]
    for rollups in tables:
        assert rollup_rows(rollups) == _render(ROLLUPS, rows=rollups)
    drawn = rollup_rows(card.by_department)
    assert "Estates &amp; &lt;Facilities&gt;" in drawn and "<Facilities>" not in drawn
    assert "(0%)" not in rollup_rows(tables[4]) and "(25%)" in rollup_rows(card.totals)
