"""Reading the source documents that the demo plans were transcribed from.

They live outside the repository, in ../shared/reference beside the clone (or wherever
WAYMARK_REFERENCE_DIR points). A fresh clone without them still passes: the tests that compare
with them skip. CI sets WAYMARK_REQUIRE_SOURCES=1 so that a missing document fails there
instead, and every comparison always runs somewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# From this file, never from the working directory: the tests run from anywhere.
REPOSITORY = Path(__file__).resolve().parents[2]


def sources_dir() -> Path:
    return Path(
        os.environ.get("WAYMARK_REFERENCE_DIR") or REPOSITORY.parent / "shared" / "reference"
    )


def read_source(name: str) -> str:
    """The text of the source document `name`; skips the calling test when it is absent, or
    fails it when WAYMARK_REQUIRE_SOURCES=1."""
    path = sources_dir() / name
    if not path.is_file():
        reason = (
            f"source document {path} not found: put ../shared/reference beside the clone"
            " or set WAYMARK_REFERENCE_DIR"
        )
        if os.environ.get("WAYMARK_REQUIRE_SOURCES") == "1":
            pytest.fail(f"{reason} (WAYMARK_REQUIRE_SOURCES=1)", pytrace=False)
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")
