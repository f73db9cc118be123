"""Template tags for objectives and actions: an item's progress status as an NHS.UK tag."""

from __future__ import annotations

from django import template

from objectives.models import ProgressStatus

register = template.Library()


@register.inclusion_tag("components/tag.html")
def progress_tag(value):
    return ProgressStatus.tag(value)
