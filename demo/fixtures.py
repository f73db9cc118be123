"""The demo plans as data: one YAML file per plan in the repository's fixtures/ folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# Beside the apps, at the repository's top level (named on the design card).
FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


def read_plan(slug: str) -> dict[str, Any]:
    """The transcribed plan fixtures/<slug>.yaml, as plain data (safe_load: no Python objects)."""
    with (FIXTURES_DIR / f"{slug}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)
