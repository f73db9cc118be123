"""How the delivery links pages name items and tag statuses: one place, for the plan's
dependency page and the item page's include alike."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from delivery import selectors_links
from delivery.models import DependencyStatus, LineageKind

register = template.Library()

# components/tag.html's markup, written here: a plan's dependency table may hold hundreds.
TAG = '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>'


@register.simple_tag
def item_href(item) -> str:
    return selectors_links.item_url(item)


@register.simple_tag
def dependency_status_tag(value):
    tag = DependencyStatus.tag(value)
    return format_html(TAG, tag["colour"], tag["text"])


@register.filter
def sees(links, item) -> bool:
    """May the reader of `links` (an ItemLinks) see `item`'s plan?"""
    return links.sees(item)


@register.filter
def reverse_lineage(entry) -> str:
    """How the other end reads a lineage entry: "Absorbed", "Split into", "Supersedes"."""
    return LineageKind(entry.kind).reverse_label
