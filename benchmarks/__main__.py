"""Run every benchmark: `python -m benchmarks [name …]`."""

from __future__ import annotations

import importlib
import pkgutil
import sys

from benchmarks import harness


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
        func()


if __name__ == "__main__":
    main(sys.argv[1:])
