"""Run every benchmark: `python -m benchmarks [name …]`. Prints each figure and writes them all
to benchmarks/results.json, so that runs can be compared."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import subprocess
import sys
from pathlib import Path

from benchmarks import harness

RESULTS = Path(__file__).resolve().parent / "results.json"


def _commit() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            cwd=RESULTS.parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv: list[str]) -> None:
    harness.setup_django()
    for module in pkgutil.iter_modules(["benchmarks"]):
        if module.name.startswith("bench_"):
            importlib.import_module(f"benchmarks.{module.name}")
    wanted = set(argv)
    for name, func in harness.BENCHES:
        if wanted and name not in wanted:
            continue
        print(f"\n== {name}")
        harness.CURRENT["bench"] = name
        func()
    RESULTS.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "commit": _commit(),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "results": harness.RESULTS,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nWritten to {RESULTS.name} ({len(harness.RESULTS)} figures)")


if __name__ == "__main__":
    main(sys.argv[1:])
