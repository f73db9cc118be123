# ruff: noqa: E501 - the reference is the template loop verbatim, one template line a line
"""kpis.rows draws the KPI table's rows in Python (the scorecard page and the KPI list): byte for
byte the template loop it replaced (kept here as the reference), whatever the KPI's texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.template import engines

from kpis.rows import kpi_rows
from kpis.selectors import kpi_list
from planning.fy import Quarter
from reporting.scorecard import scorecard_for
from tests.factories import KPIFactory, MeasurementFactory

# The loop of templates/kpis/_kpi_table.html before kpis.rows replaced it.
REFERENCE = (
    "{% load kpi_charts waymark %}"
    "{% for s in statuses %}\n"
    '        <tr class="nhsuk-table__row" role="row"{% if scorecard %} id="{{ s.anchor }}"{% endif %}>\n'
    '          <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">KPI </span><span>\n'
    '            <a href="{{ s.url }}">{{ s.kpi.code }} {{ s.kpi.name }}</a>\n'
    '            {% if s.kpi.in_development %}{% include "components/tag.html" with text="In development" colour="yellow" %}{% endif %}\n'
    '            {% if scorecard %}<span class="app-secondary-text">{{ s.summary }}</span>{% endif %}\n'
    "          </span></td>\n"
    "          {% if not scorecard %}\n"
    '          <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Perspective </span>{{ s.kpi.get_perspective_display }}</td>\n'
    '          <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Measured </span>{{ s.kpi.get_frequency_display }}</td>\n'
    "          {% endif %}\n"
    '          <td class="nhsuk-table__cell app-nowrap" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Latest </span><span>{{ s.latest_text }}{% if s.latest %}<span class="app-secondary-text">{{ s.latest.label }}</span>{% endif %}</span></td>\n'
    '          <td class="nhsuk-table__cell app-nowrap" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Target </span>{{ s.target_text }}</td>\n'
    '          <td class="nhsuk-table__cell app-nowrap" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">RAG </span><span>{% kpi_rag_tag s %}</span></td>\n'
    "          {% if scorecard %}\n"
    '          <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Trend </span><span>{{ s.sparkline }}</span></td>\n'
    '          <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Variation </span><span>{% if s.variation %}{% variation_icon s.variation %}{% else %}—{% endif %}</span></td>\n'
    '          <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">Assurance </span><span>{% if s.assurance %}{% assurance_icon s.assurance %}{% else %}—{% endif %}</span></td>\n'
    "          {% elif can_edit %}\n"
    '          <td class="nhsuk-table__cell" role="cell"><a href="{% url \'kpis:edit\' s.kpi.pk %}">Edit<span class="nhsuk-u-visually-hidden"> {{ s.kpi.code }}</span></a></td>\n'
    "          {% endif %}\n"
    "        </tr>\n"
    "        {% endfor %}"
)


@pytest.fixture
def varied(plan):
    """KPIs whose every shown text carries markup, with and without values, targets, a
    direction or a rebase, in development or not."""
    marked = KPIFactory(
        plan=plan,
        code="F<1>",
        name='Spend & "income" <b>now</b>',
        perspective="F",
        unit="£ <k>",
        in_development=True,
        target=D("50"),
        tolerance=D("5"),
    )
    for n, value in enumerate(["40", "55", "48.5", "61", "70", "12"]):
        MeasurementFactory(
            kpi=marked,
            period_start=_q(n).start,
            value=D(value),
            commentary="<script>alert('x')</script> & more",
            starts_new_limits=n == 4,
        )
    neutral = KPIFactory(plan=plan, code="C2", name="Plain", perspective="C", polarity="neutral")
    MeasurementFactory(kpi=neutral, period_start=_q(1).start, value=D("3"))
    KPIFactory(plan=plan, code="P3", name="Nothing yet <none>", perspective="P", unit="%")
    lower = KPIFactory(
        plan=plan, code="L4", name="Falls", polarity="lower", frequency="monthly", target=D("4")
    )
    for month in (4, 5, 6, 7, 8, 9, 10, 11, 12):
        MeasurementFactory(kpi=lower, period_start=dt.date(2006, month, 1), value=D(month % 5))
    return plan


def _q(n: int) -> Quarter:
    quarter = Quarter(2006, 1)
    for _ in range(n):
        quarter = quarter.next()
    return quarter


def _reference(statuses, **context) -> str:
    template = engines["django"].from_string(REFERENCE)
    return template.render({"statuses": statuses, **context})


@pytest.mark.django_db
@pytest.mark.parametrize("quarter", [Quarter(2006, 1), Quarter(2006, 3), Quarter(2007, 2)])
def test_scorecard_rows_are_the_template_loop_byte_for_byte(varied, quarter):
    statuses = scorecard_for(varied, quarter).kpis
    drawn = kpi_rows(statuses, scorecard=True, can_edit=True)
    assert drawn == _reference(statuses, scorecard=True, can_edit=True)
    assert "Spend &amp; &quot;income&quot; &lt;b&gt;now&lt;/b&gt;" in drawn
    assert "<b>" not in drawn and "<script>" not in drawn
    assert "app-spc-icon" in drawn and "No data" in drawn  # icons, and a KPI without values


@pytest.mark.django_db
@pytest.mark.parametrize("can_edit", [True, False])
def test_list_rows_are_the_template_loop_byte_for_byte(varied, can_edit):
    statuses = kpi_list(varied)
    drawn = kpi_rows(statuses, scorecard=False, can_edit=can_edit)
    assert drawn == _reference(statuses, can_edit=can_edit)
    assert ("Edit<span" in drawn) is can_edit
    assert "In development" in drawn and "F&lt;1&gt;" in drawn


@pytest.mark.django_db
def test_no_kpis_no_rows(plan):
    assert kpi_rows([], scorecard=True, can_edit=False) == _reference([], scorecard=True) == ""
