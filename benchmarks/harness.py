"""Shared tools for the benchmarks: a scratch PostgreSQL database, timed requests, and the
SQL-only floor for comparison."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

# WAYMARK_BENCH_DB: another name, so that two runs on one server do not drop each other's.
BENCH_DB = os.environ.get("WAYMARK_BENCH_DB", "waymark_bench")


def setup_django() -> None:
    """Point Django at a dedicated benchmark database on the PostgreSQL server of DATABASE_URL
    (default: the local one), migrated from scratch."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waymark")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("make bench measures PostgreSQL: set DATABASE_URL=postgres://…")
    recreate_database(config)
    config["NAME"] = BENCH_DB
    os.environ["DATABASE_URL"] = (
        f"postgres://{config['USER']}:{config.get('PASSWORD') or ''}@{config['HOST']}:"
        f"{config['PORT'] or 5432}/{BENCH_DB}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # As config/wsgi.py does under gunicorn: what the app loaded, out of the collector's sight.
    import gc

    gc.freeze()


def recreate_database(config, name: str = BENCH_DB) -> None:
    """Drop and create `name` on the server of `config` (also used by make loadtest)."""
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config.get("PASSWORD") or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


@dataclass
class Timing:
    label: str
    queries: int
    median_ms: float
    p95_ms: float
    sql_median_ms: float
    target_ms: float | None = None  # the p95 target, where it sets one

    @property
    def met(self) -> bool | None:
        return None if self.target_ms is None else self.p95_ms < self.target_ms

    def line(self) -> str:
        ratio = self.median_ms / self.sql_median_ms if self.sql_median_ms else float("nan")
        target = (
            f"   target p95 < {self.target_ms:g} ms: {'met' if self.met else 'NOT MET'}"
            if self.target_ms is not None
            else ""
        )
        return (
            f"{self.label:<38} queries {self.queries:>3}   median {self.median_ms:8.1f} ms   "
            f"p95 {self.p95_ms:8.1f} ms   SQL alone {self.sql_median_ms:7.1f} ms  "
            f"(x{ratio:.1f}){target}"
        )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


# The benches pass repeat=60 or more for the pages with a p95 target: the 95th percentile of 20
# requests is the second slowest, which one stray scheduling delay decides.
def time_request(
    label: str,
    client,
    url: str,
    *,
    repeat: int = 30,
    before: Callable[[], None] | None = None,
    target_ms: float | None = None,
) -> Timing:
    """Median and p95 server time of GET url, its query count, and the time of the same SQL
    replayed on its own (the floor no Python can beat). ``before`` runs before each timed
    request, untimed (e.g. emptying the cache, to time the page as its first reader sees it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the page as its next reader finds it: caches filled, session read
    if before is not None:
        before()
    # The queries of a request like the timed ones (warm, or after ``before``), for the floor.
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    captured = [q["sql"] for q in ctx.captured_queries]
    # Session and auth lookups are part of every request; the floor replays them too.
    durations = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        client.get(url)
        durations.append((time.perf_counter() - start) * 1000)
    sql_durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in captured:
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    cursor.execute(sql)
                    cursor.fetchall()
        sql_durations.append((time.perf_counter() - start) * 1000)
    timing = Timing(
        label=label,
        queries=len(captured),
        median_ms=statistics.median(durations),
        p95_ms=percentile(durations, 95),
        sql_median_ms=statistics.median(sql_durations),
        target_ms=target_ms,
    )
    record(
        label,
        queries=timing.queries,
        median_ms=round(timing.median_ms, 2),
        p95_ms=round(timing.p95_ms, 2),
        sql_median_ms=round(timing.sql_median_ms, 2),
        **({"target_p95_ms": target_ms, "met": timing.met} if target_ms is not None else {}),
    )
    return timing


def content_changed() -> None:
    """As any write to plan content does (planning.content_version): every page kept in the
    cache under the old version is read afresh by its next reader. For ``before=``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE planning_contentversion SET value = value + 1")


BENCHES: list[tuple[str, Callable[[], None]]] = []

# Every figure of this run, written to benchmarks/results.json at the end (benchmarks/__main__):
# one row per measurement, under the benchmark that took it.
RESULTS: list[dict] = []
CURRENT: dict[str, str] = {"bench": ""}


def record(label: str, **figures) -> None:
    """Keep a measured figure for results.json (time_request does this for every page)."""
    RESULTS.append({"bench": CURRENT["bench"], "label": label, **figures})


def bench(name: str):
    def register(func):
        BENCHES.append((name, func))
        return func

    return register
