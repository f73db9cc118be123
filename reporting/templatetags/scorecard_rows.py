"""The scorecard's exceptions, changes and roll-up rows (reporting.rows: drawn in Python, the same
markup as the template loops they replace)."""

from __future__ import annotations

from django import template

from reporting import rows

register = template.Library()


@register.simple_tag
def exception_rows(items):
    return rows.exception_rows(items)


@register.simple_tag
def change_rows(changes):
    return rows.change_rows(changes)


@register.simple_tag
def rollup_rows(rollups):
    return rows.rollup_rows(rollups)
