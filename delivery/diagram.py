"""A plan's dependencies drawn on the server as SVG (the project's chart conventions, as
kpis/charts.py and frameworks/charts.py: ``role="img"`` named by ``<title>`` and described by
``<desc>``, presentation attributes rather than ``style``, every text escaped here, and a table
beside it on the page).

Columns come from delivery.graph.layers: whatever an item needs stands to its left, so arrows
run left to right, from what comes first to what it enables. Colour is never the only signal:
"related to" is a dashed line with no arrow; another plan's item and a programme outside
Waymark are dashed boxes whose second line says which; a dependency at risk is drawn thicker
and its line says "at risk".
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from delivery.models import DependencyKind, DependencyStatus

INK = "#212b32"
SECONDARY_INK = "#4c6272"
BLUE = "#005eb8"
GREY = "#768692"
WARM = "#8a4e00"  # at risk: dark orange, 4.5:1 on white
FONT = "Frutiger W01, Arial, sans-serif"

BOX_W, BOX_H = 170, 48
COL_GAP, ROW_GAP = 70, 22
MARGIN = 16


def _truncate(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _box(node) -> tuple[float, float]:
    x = MARGIN + node.column * (BOX_W + COL_GAP)
    y = MARGIN + node.row * (BOX_H + ROW_GAP)
    return x, y


def dependency_diagram(data, *, id_prefix: str = "dependencies") -> SafeString:
    """The diagram of `data` (a delivery.selectors_links.PlanDependencies), or "" when the plan
    has no dependency to draw."""
    if not data.nodes:
        return mark_safe("")
    rows = max(n.row for n in data.nodes) + 1
    width = 2 * MARGIN + data.columns * BOX_W + (data.columns - 1) * COL_GAP
    height = 2 * MARGIN + rows * BOX_H + (rows - 1) * ROW_GAP
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    count = len(data.edges)
    items = sum(1 for n in data.nodes if not n.key.startswith("external-"))
    externals = len(data.nodes) - items
    desc = (
        f"{count} dependenc{'y' if count == 1 else 'ies'} between {items} "
        f"item{'s' if items != 1 else ''}"
        + (
            f" and {externals} external programme{'s' if externals != 1 else ''}"
            if externals
            else ""
        )
        + ". Arrows run from what comes first to what it enables; a dashed line without an "
        "arrow is “related to”. The table below lists every dependency."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-dependency-diagram" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'font-family="{escape(FONT)}">',
        f'<title id="{title_id}">Dependencies of {escape(str(data.plan))}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        "<defs>",
        *(
            f'<marker id="{id_prefix}-arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" '
            f'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for name, colour in (("ink", INK), ("warm", WARM))
        ),
        "</defs>",
    ]
    for source, target, dep in data.edges:
        # Draw from what comes first: "A needs B" is drawn B → A.
        first, then = (target, source) if dep.kind == DependencyKind.NEEDS else (source, target)
        x1, y1 = _box(first)
        x2, y2 = _box(then)
        at_risk = dep.status == DependencyStatus.AT_RISK
        colour = WARM if at_risk else INK
        if x2 > x1:
            start, end = (x1 + BOX_W, y1 + BOX_H / 2), (x2, y2 + BOX_H / 2)
        elif x2 < x1:
            start, end = (x1, y1 + BOX_H / 2), (x2 + BOX_W, y2 + BOX_H / 2)
        else:  # same column ("related to"): from the lower edge of one to the other's
            start = (x1 + BOX_W / 2, y1 + (BOX_H if y2 > y1 else 0))
            end = (x2 + BOX_W / 2, y2 + (0 if y2 > y1 else BOX_H))
        related = dep.kind == DependencyKind.RELATED
        attrs = f'stroke="{colour}" stroke-width="{3 if at_risk else 1.5}" fill="none"'
        if related:
            attrs += ' stroke-dasharray="6 4"'
        else:
            attrs += f' marker-end="url(#{id_prefix}-arrow-{"warm" if at_risk else "ink"})"'
        words = f"{source.label} {dep.get_kind_display().lower()} {target.label}"
        if at_risk:
            words += " (at risk)"
        out.append(
            f'<line x1="{start[0]:.0f}" y1="{start[1]:.0f}" x2="{end[0]:.0f}" '
            f'y2="{end[1]:.0f}" {attrs}><title>{escape(words)}</title></line>'
        )
    for node in data.nodes:
        x, y = _box(node)
        dashed = ' stroke-dasharray="5 3"' if node.outside or node.hidden else ""
        stroke = GREY if node.outside or node.hidden else BLUE
        second = (
            "Outside Waymark"
            if node.key.startswith("external-")
            else "Another plan"
            if node.outside or node.hidden
            else _truncate(node.title, 26)
        )
        out += [
            f"<g><title>{escape(node.label)}: {escape(node.title)}</title>",
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="#ffffff" '
            f'stroke="{stroke}" stroke-width="2"{dashed}/>',
            f'<text x="{x + 8}" y="{y + 19}" font-size="14" font-weight="bold" fill="{INK}">'
            f"{escape(_truncate(node.label, 20))}</text>",
            f'<text x="{x + 8}" y="{y + 37}" font-size="12" fill="{SECONDARY_INK}">'
            f"{escape(second)}</text>",
            "</g>",
        ]
    out.append("</svg>")
    return mark_safe("".join(out))
