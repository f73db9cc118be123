"""A plan's narrative text: the small set of HTML a section may hold, made safe in one place.

Planners format sections (paragraphs, lists, emphasis, links). What they send is cleaned here
with nh3 (an allow-list, not a deny-list) when it is saved, and again whenever it is shown, so
the plan page and the PDF show exactly the same safe markup and a row written some other way
(the admin, a fixture) cannot carry a script into either. Older sections hold plain text (blank
lines between paragraphs): `to_html` turns that into paragraphs, escaped.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TAGS = frozenset({"p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a"})
ATTRIBUTES = {"a": {"href", "title"}}
# No javascript:, data: (which could carry a document or an image) or relative oddities.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Their content is dropped with them: the text of a script or style is never shown as words.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "svg"})

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def sanitise(html: str) -> str:
    """The allowed markup of ``html``, everything else removed (images, styles, event handlers,
    scripts with their content, unsafe link schemes)."""
    return nh3.clean(
        html or "",
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def has_markup(body: str) -> bool:
    return bool(_TAG.search(body or ""))


def to_html(body: str) -> SafeString:
    """Safe HTML for a section's body, for the page and the PDF alike. The one place a user's
    text becomes markup (tests/test_security.py allows no other): plain text is escaped, markup
    has been through the allow-list, so templates show it without a |safe of their own."""
    if not has_markup(body):
        paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", body or "") if p.strip()]
        html = "".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in paragraphs)
    else:
        html = sanitise(body)
    return mark_safe(html)  # noqa: S308 — escaped or sanitised just above
