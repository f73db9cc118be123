"""How a score, band and trend look: one place, so the pages and PDFs show them alike."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from html import escape

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from assurance import scoring
from assurance.models import RiskStatus
from planning.rag import RAG

register = template.Library()

# Cell fill and text colour per band: dark text on the light fills, white on the dark ones
# (contrast at least 4.5:1). The band's word is printed in the cell, so colour is never alone.
FILLS = {
    scoring.Band.LOW: ("#007f3b", "#ffffff"),
    scoring.Band.MODERATE: ("#ffeb3b", "#212b32"),
    scoring.Band.HIGH: ("#ed8b00", "#212b32"),
    scoring.Band.EXTREME: ("#d5281b", "#ffffff"),
}


# components/tag.html's markup, written here rather than included: the BAF shows hundreds of
# tags, and rendering a template per tag was most of its time (benchmarks/bench_assurance.py).
TAG = '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>'


@register.simple_tag
def score_tag(rating, empty_text="Not scored"):
    """A score as a tag that says its number and band: "12 High"."""
    if rating is None:
        return format_html(TAG, "grey", empty_text)
    return format_html(TAG, rating.band.colour, f"{rating.score} {rating.band.label}")


@register.simple_tag
def rag_badge(value, complete=False):
    """planning's rag_tag, as markup without a template render (see TAG)."""
    tag = RAG.tag(value, complete=bool(complete))
    return format_html(TAG, tag["colour"], tag["text"])


@register.simple_tag
def score_words(rating, empty_text="Not scored"):
    if rating is None:
        return empty_text
    return f"{rating.score} ({rating.band.value})"


@register.inclusion_tag("assurance/_heat_map.html")
def heat_map(heat, caption, id_prefix="heat-map", print=False):
    size, axis = 56, 120
    cells = []
    for row_index, row in enumerate(heat.rows):
        for column_index, cell in enumerate(row):
            fill, ink = FILLS[cell.band]
            cells.append(
                {
                    "cell": cell,
                    "x": axis + column_index * size,
                    "y": row_index * size,
                    "cx": axis + column_index * size + size // 2,
                    "cy": row_index * size + size // 2,
                    "fill": fill,
                    "ink": ink,
                }
            )
    likelihoods = [
        {"level": lk, "words": scoring.LIKELIHOOD[lk], "y": i * size + size // 2}
        for i, lk in enumerate(reversed(scoring.LEVELS))
    ]
    consequences = [
        {"level": c, "words": scoring.CONSEQUENCE[c], "x": axis + i * size + size // 2}
        for i, c in enumerate(scoring.LEVELS)
    ]
    return {
        "heat": heat,
        "caption": caption,
        "id_prefix": id_prefix,
        "cells": cells,
        "size": size,
        "likelihoods": likelihoods,
        "consequences": consequences,
        "width": axis + 5 * size + 4,
        "height": 5 * size + 64,
        "grid_bottom": 5 * size,
        "print": print,
    }


@register.simple_tag
def band_key(bands):
    return bands.ranges()


@register.simple_tag
def risk_status_tag(value):
    """The risk's status as a tag ("Open", "Escalated", "Closed"): components/tag.html's
    markup, written here (see TAG)."""
    tag = RiskStatus.tag(value)
    return format_html(TAG, tag["colour"], tag["text"])


# ---------------------------------------------------------------------------------------------
# The BAF's rows, written in Python: the BAF shows hundreds of risks, and the template engine's
# per-variable lookups and a reverse() per link were most of its time. The markup is what
# assurance/_baf_table.html had (one row per risk: risk and owner with its flags, current and
# target scores, trend, gaps, actions with their RAG); every text is escaped by format_html.
# ---------------------------------------------------------------------------------------------


def _url_pattern(name: str) -> str:
    return reverse(name, kwargs={"pk": 2147483647}).replace("2147483647", "{}")


def _e(value) -> str:
    """Text escaped for HTML (the standard library's: Django's lazy-aware escape costs more
    per call, and every value here is already a str or a number)."""
    return escape(str(value), quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.splitlines())


def _tag(colour: str, text: str) -> str:
    return f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{_e(text)}</strong>'


@lru_cache(maxsize=512)
def _score(rating, *, print: bool) -> str:
    """A score's cell: at most 26 ratings per set of bands, each written once."""
    if rating is None:
        return "Not scored" if print else _tag("grey", "Not scored")
    if print:
        return f"{rating.score} ({rating.band.value})"
    return _tag(rating.band.colour, f"{rating.score} {rating.band.label}")


@lru_cache(maxsize=2048)
def _short_date(day: dt.date, language: str | None) -> str:
    """A date as "5 Jan 2026", escaped, written once: hundreds of risks share a few hundred
    review dates, and dateformat is slow per call. The language is in the key (the month)."""
    return _e(dateformat.format(day, "j M Y"))


@lru_cache(maxsize=8)
def _trend(trend: scoring.Trend) -> str:
    return f"{_e(trend.arrow)} {_e(trend.words)}"


def _flags(row, language: str | None) -> str:
    risk = row.risk
    flags = ""
    if row.overdue:
        due = _short_date(risk.review_date, language)
        flags += f"<br><strong>Review overdue</strong> (due {due})"
    if row.within_appetite is False:
        flags += "<br><strong>Outside appetite</strong>"
    if not risk.is_scored:
        flags += "<br>Not scored in the source"
    if risk.synthetic:
        flags += "<br>Synthetic"
    return flags


def _gaps(risk) -> str:
    parts = []
    if risk.gaps_in_control:
        parts.append(f"<strong>Control:</strong> {_lines(risk.gaps_in_control)}")
    if risk.gaps_in_assurance:
        parts.append(f"<strong>Assurance:</strong> {_lines(risk.gaps_in_assurance)}")
    return "<br>".join(parts) or "None recorded"


def _action(a, *, print: bool, action_url: str) -> str:
    if print:
        words = RAG.words(a.rag, complete=a.is_complete)
        return f"{_e(a)}: {_e(words)}, {a.percent_complete}%"
    tag = RAG.tag(a.rag, complete=a.is_complete)
    link = f'<a href="{_e(action_url.format(a.pk))}">{_e(a)}</a>'
    return f"{link} {_tag(tag['colour'], tag['text'])}"


def _actions(actions, *, print: bool, action_url: str, memo: dict) -> str:
    if not actions:
        return "None linked"
    items = []
    for a in actions:
        # An action mitigating several risks is written once per page.
        html = memo.get(a.pk)
        if html is None:
            html = memo[a.pk] = _action(a, print=print, action_url=action_url)
        items.append(html)
    return "<br>".join(items)


@register.simple_tag(takes_context=True)
def baf_rows(context, rows, print=False):
    """The <tr> of each risk on the BAF (page and PDF). Every value is escaped by _e."""
    # The page's memo: the bottom of the render context lasts the whole render, across the
    # include of each priority's table (Django's {% include %} caches its templates there).
    memo = context.render_context.dicts[0].setdefault(("baf_rows", bool(print)), {})
    if not memo:
        memo["urls"] = (
            _url_pattern("assurance:risk_detail"),
            _url_pattern("objectives:detail"),
        )
        memo["actions"] = {}
    risk_url, action_url = memo["urls"]
    td = "<td>" if print else '<td class="nhsuk-table__cell">'
    tr = "<tr>" if print else '<tr class="nhsuk-table__row">'
    owner_class = "small muted" if print else "nhsuk-body-s"
    language = get_language()
    out = []
    for row in rows:
        risk = row.risk
        name = _e(risk) if print else f'<a href="{_e(risk_url.format(risk.pk))}">{_e(risk)}</a>'
        owner = _e(risk.owner or "Owner not named")
        actions = _actions(row.actions, print=print, action_url=action_url, memo=memo["actions"])
        out.append(
            f'{tr}{td}{name}<br><span class="{owner_class}">{owner}</span>'
            f"{_flags(row, language)}</td>"
            f"{td}{_score(row.current, print=print)}</td>"
            f"{td}{_score(row.target, print=print)}</td>"
            f"{td}{_trend(row.trend)}</td>"
            f"{td}{_gaps(risk)}</td>"
            f"{td}{actions}</td></tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped by _e


# ---------------------------------------------------------------------------------------------
# The register's rows, written in Python for the same reason (an organisation's whole register
# is one table). The markup is what assurance/register.html's loop had: the risk with its
# category and its flags as tags (assurance/_risk_flags.html's), owner, current and target
# scores, trend, next review and status.
# ---------------------------------------------------------------------------------------------


def _register_flags(row) -> str:
    risk = row.risk
    flags = []
    if row.overdue:
        flags.append(_tag("red", "Review overdue"))
    if row.within_appetite is False:
        flags.append(_tag("orange", "Outside appetite"))
    if not risk.is_scored:
        flags.append(_tag("grey", "Not scored in the source"))
    if risk.synthetic:
        flags.append(_tag("purple", "Synthetic"))
    return " ".join(flags)


@register.simple_tag
def register_rows(rows):
    """The <tr> of each risk in the register. Every value is escaped by _e."""
    td = '<td class="nhsuk-table__cell">'
    nowrap = '<td class="nhsuk-table__cell app-nowrap">'
    language = get_language()
    out = []
    for row in rows:
        risk = row.risk
        category = ""
        if risk.category:
            category = f'<br><span class="nhsuk-body-s">{_e(risk.category)}</span>'
        due = "Not set" if risk.review_date is None else _short_date(risk.review_date, language)
        status = RiskStatus.tag(risk.status)
        out.append(
            f'<tr class="nhsuk-table__row">'
            f'{td}<a href="{_e(risk.get_absolute_url())}">{_e(risk)}</a>{category}<br>'
            f"{_register_flags(row)}</td>"
            f"{td}{_e(risk.owner or 'Not named')}</td>"
            f"{nowrap}{_score(row.current, print=False)}</td>"
            f"{nowrap}{_score(row.target, print=False)}</td>"
            f"{td}{_trend(row.trend)}</td>"
            f"{td}{due}</td>"
            f"{td}{_tag(status['colour'], status['text'])}</td></tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped by _e
