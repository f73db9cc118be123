"""The direction of dependencies between the apps (docs/decisions/layout.md).

Read from the source with ast, so a function-level import counts as much as one at the top of a
module: an import cycle cannot hide inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# app -> the apps it may import. Anything not listed here is a new arrow to think about first.
ALLOWED = {
    "planning": set(),
    "swot": {"planning"},
    "kpis": {"planning"},
    "objectives": {"planning", "kpis"},
    "budgets": {"planning", "objectives"},
    "people": {"planning", "objectives"},
    # Reminders and notices read every app's records; nothing imports it.
    "notices": {"planning", "objectives", "kpis", "reporting"},
    # Competencies and gap dimensions link objectives; the charts use kpis.charts' SVG helpers.
    "frameworks": {"planning", "objectives", "kpis"},
    "assurance": {"planning", "objectives"},
    # Partnership delivery plans: progress words from objectives, risks from the register.
    "delivery": {"planning", "objectives", "assurance"},
    "reporting": {
        "planning",
        "objectives",
        "kpis",
        "budgets",
        "swot",
        "frameworks",
        "assurance",
        "delivery",
    },
    "demo": {
        "planning",
        "objectives",
        "kpis",
        "budgets",
        "swot",
        "frameworks",
        "assurance",
        "delivery",
    },
    # The plan workbook reads and writes every record kind (docs/decisions/workbook.md).
    "workbook": {
        "planning",
        "objectives",
        "kpis",
        "budgets",
        "swot",
        "frameworks",
        "assurance",
        "delivery",
    },
}
APPS = set(ALLOWED)


def imported_apps(app: str) -> dict[str, set[str]]:
    """{other app: {"file:line", …}} for every import of another app in ``app``'s code."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != app:
                    found.setdefault(top, set()).add(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


class TestLayout:
    @pytest.mark.parametrize("app", sorted(ALLOWED))
    def test_app_imports_only_what_it_builds_on(self, app):
        unexpected = {
            other: sorted(places)
            for other, places in imported_apps(app).items()
            if other not in ALLOWED[app]
        }
        assert unexpected == {}, f"{app} imports apps it must not: {unexpected}"

    def test_the_allowed_graph_has_no_cycle(self):
        visiting, done = set(), set()

        def visit(app, trail):
            assert app not in visiting, f"cycle: {' -> '.join([*trail, app])}"
            if app in done:
                return
            visiting.add(app)
            for other in ALLOWED[app]:
                visit(other, [*trail, app])
            visiting.discard(app)
            done.add(app)

        for app in ALLOWED:
            visit(app, [])

    def test_every_app_directory_is_in_the_graph(self):
        apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
        assert apps == APPS
