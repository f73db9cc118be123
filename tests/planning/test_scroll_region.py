"""The scroll region is defined once (components/scroll_region.html) and renders as a labelled,
keyboard-scrollable region."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

COMPONENT = "components/scroll_region.html"


def templates() -> list[Path]:
    root = Path(settings.BASE_DIR) / "templates"
    return [p for p in root.rglob("*.html") if "pdf" not in p.relative_to(root).parts]


class TestScrollRegion:
    def test_the_wrapper_is_written_only_in_the_component(self):
        root = Path(settings.BASE_DIR) / "templates"
        elsewhere = [
            str(p.relative_to(root))
            for p in templates()
            if "nhsuk-scroll__content" in p.read_text() and p != root / COMPONENT
        ]
        assert elsewhere == [], "use components/scroll_region.html"

    def test_it_is_a_region_named_by_a_visible_label_and_keyboard_scrollable(self):
        html = render_to_string(
            COMPONENT, {"html": mark_safe("<table></table>"), "label_id": "kpis-caption"}
        )
        assert 'data-module="nhsuk-scroll"' in html
        assert 'role="region"' in html
        assert 'aria-labelledby="kpis-caption"' in html
        assert 'tabindex="0"' in html
        assert "<table></table>" in html

    def test_or_named_in_words(self):
        html = render_to_string(COMPONENT, {"html": "x", "label": "Audit trail"})
        assert 'aria-label="Audit trail"' in html
        assert "aria-labelledby" not in html
