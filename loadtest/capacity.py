"""The capacity table of docs/capacity.md, from measured figures: `python -m loadtest.capacity`.

Reads loadtest/results.json (`make loadtest`: CPU per request of each kind, measured in the
gunicorn workers; the CPU of gunicorn, PostgreSQL and Redis over the run; database growth per
write; the cache's keys and bytes; the size of each response) and benchmarks/results.json
(`make bench`: what a PDF render costs). Everything else is the region to plan for: the
issue's figures (40 organisations, 20,000 users, 5,000 updates in a quarter-end day) and the
ASSUMPTIONS below, each an option, printed beside the result so nobody mistakes one for a
measurement. Nothing here is a measured figure: with no results files it says what to run.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOADTEST = ROOT / "loadtest" / "results.json"
BENCH = ROOT / "benchmarks" / "results.json"

# What one person does, in requests of the kinds the load test measures (docs/capacity.md).
UPDATE_VISIT = {  # a manager reporting progress on one item
    "my work": 1,
    "objective page": 2,  # before, and after the save's redirect
    "progress update (form)": 1,
    "progress update (save)": 1,
}
BOARD_VISIT = {  # a board member reading the pack online
    "scorecard": 2,
    "KPI list": 1,
    "KPI page": 5,
    "plan page": 1,
}

BROWSING = {  # everyone else's page views, as shares of one view
    "home": 0.2,
    "my work": 0.2,
    "objective page": 0.3,
    "plan page": 0.1,
    "KPI list": 0.1,
    "KPI page": 0.1,
}

ASSUMPTIONS = {  # (default, what it means): options of this script, not measurements
    "organisations": (40, "organisations in the region (issue 17)"),
    "users": (20_000, "people with an account (issue 17)"),
    "updates_per_day": (5_000, "progress updates on the busiest quarter-end day (issue 17)"),
    "peak_hour_share": (0.25, "share of the day's updates made in its busiest hour"),
    "views_per_user_day": (10, "other page views per user on that day (BROWSING mix)"),
    "board_readers": (480, "board members reading the pack in that hour (12 per organisation)"),
    "kpi_values_per_update": (0.5, "KPI values saved per progress update"),
    "pdfs_per_org_hour": (6, "PDFs rendered per organisation in the busiest hour"),
    "kpis_per_org": (200, "KPIs per organisation (the benchmark's large plan)"),
    "updates_per_year": (4 * 12_000, "writes per year (quarters x updates per quarter)"),
    "target_utilisation": (0.6, "busiest-hour CPU use aimed at, so p95 stays low"),
    "cores_per_server": (2, "cores of one web server (as measured here)"),
    "pdf_kept": (8, "rendered versions of each document kept in storage"),
}


def load(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def per_core(run: dict) -> dict[str, dict]:
    """CPU ms per request of each kind, and requests/s one core serves of that kind alone.

    The workers' own CPU per request (thread CPU) is scaled up by what the whole of gunicorn
    used over the run (master, garbage collection, PDF render children) against the sum of the
    requests' CPU, so the figure per core is what a core really serves, not a best case."""
    # The health check is asked while gunicorn starts, before its CPU is counted.
    kinds = {k: v for k, v in run["worker_cpu"].items() if k != "health check"}
    in_requests = sum(k["requests"] * k["cpu_mean_ms"] for k in kinds.values()) / 1000
    overhead = run["cpu"]["gunicorn_s"] / in_requests if in_requests else 1.0
    return {
        name: {
            "cpu_ms": k["cpu_mean_ms"] * overhead,
            "per_core_per_s": 1000 / (k["cpu_mean_ms"] * overhead) if k["cpu_mean_ms"] else 0,
            "overhead": overhead,
        }
        for name, k in kinds.items()
    }


def pdf_render_s(bench: dict | None) -> float | None:
    if not bench:
        return None
    renders = [r["render_s"] for r in bench["results"] if "render_s" in r]
    return max(renders) if renders else None


def plan(load_run: dict, bench: dict | None, a: dict, workers: int, threads: int) -> list:
    """Rows of (what, figure, how it was worked out)."""
    costs = per_core(load_run)
    missing = [k for k in {**UPDATE_VISIT, **BOARD_VISIT, **BROWSING} if k not in costs]
    if missing:
        raise SystemExit(f"loadtest/results.json has no CPU figure for: {', '.join(missing)}")
    peak_updates_s = a["updates_per_day"] * a["peak_hour_share"] / 3600
    board_s = a["board_readers"] / 3600
    demand = {}  # requests/s of each kind in the busiest hour
    for kind, n in UPDATE_VISIT.items():
        demand[kind] = demand.get(kind, 0) + n * peak_updates_s
    for kind, n in BOARD_VISIT.items():
        demand[kind] = demand.get(kind, 0) + n * board_s
    views_s = a["users"] * a["views_per_user_day"] * a["peak_hour_share"] / 3600
    for kind, share in BROWSING.items():
        demand[kind] = demand.get(kind, 0) + share * views_s
    if "measurement (save)" in costs:
        values_s = peak_updates_s * a["kpi_values_per_update"]
        demand["measurement (form)"] = demand.get("measurement (form)", 0) + values_s
        demand["measurement (save)"] = demand.get("measurement (save)", 0) + values_s
    web_cpu = sum(rate * costs[k]["cpu_ms"] / 1000 for k, rate in demand.items() if k in costs)
    web_cores = web_cpu / a["target_utilisation"]
    servers = max(1, math.ceil(web_cores / a["cores_per_server"])) + 1  # one spare (n+1)
    rows = [
        ("busiest-hour requests/s", f"{sum(demand.values()):.1f}", "visits x requests per visit"),
        ("web CPU needed", f"{web_cpu:.2f} cores", "sum of requests/s x measured CPU per request"),
        (
            "web servers",
            f"{servers} x {a['cores_per_server']} cores",
            f"{web_cores:.2f} cores at {a['target_utilisation']:.0%} use, plus one spare",
        ),
    ]
    gunicorn_s = load_run["cpu"]["gunicorn_s"]
    pg_ratio = load_run["cpu"].get("postgres_s", 0) / gunicorn_s if gunicorn_s else 0
    redis_ratio = load_run["cpu"].get("redis_s", 0) / gunicorn_s if gunicorn_s else 0
    rows.append(
        (
            "database CPU",
            f"{web_cpu * pg_ratio / a['target_utilisation']:.2f} cores",
            f"PostgreSQL used {pg_ratio:.2f} s per web CPU second in the load test",
        )
    )
    connections = servers * workers * threads
    render_s = pdf_render_s(bench)
    if render_s is not None:
        pdf_s = a["organisations"] * a["pdfs_per_org_hour"] / 3600
        task_workers = max(1, math.ceil(pdf_s * render_s / a["target_utilisation"])) + 1
        rows.append(
            (
                "task workers (PDFs)",
                f"{task_workers}",
                f"{pdf_s * 3600:.0f} renders/h x {render_s:.1f} s (slowest benchmarked), one spare",
            )
        )
        connections += task_workers
    else:
        rows.append(("task workers (PDFs)", "run make bench", "benchmarks/results.json missing"))
    rows.append(
        (
            "database connections",
            f"{connections + 10}",
            f"web servers x {workers} workers x {threads} threads + task workers + 10 for admin",
        )
    )
    writes = load_run["writes"]
    n_writes = writes["updates_accepted"] + writes["measurements_accepted"]
    grown = writes["database_bytes"] - writes.get("database_bytes_before", writes["database_bytes"])
    if n_writes and grown > 0:
        per_write = grown / n_writes
        base = writes["database_bytes_before"] / max(1, writes["organisations"])
        size = a["organisations"] * base + a["updates_per_year"] * per_write
        rows.append(
            (
                "database size, first year",
                f"{size / 1e9:.2f} GB",
                f"{base / 1e6:.1f} MB per demo organisation + {per_write / 1e3:.1f} KB per write "
                f"x {a['updates_per_year']:,} writes",
            )
        )
    cache = load_run.get("cache")
    if cache and cache["keys"]:
        per_key = cache["bytes"] / cache["keys"]
        keys = a["organisations"] * a["kpis_per_org"] * 2 * 2  # two readings a KPI, two quarters
        rows.append(
            (
                "cache memory",
                f"{keys * per_key / 1e6:.0f} MB",
                f"{per_key:.0f} B per key (measured) x {keys:,} keys; Redis CPU "
                f"{redis_ratio:.3f} s per web CPU second",
            )
        )
    else:
        rows.append(("cache memory", "run make loadtest with REDIS_URL", "no cache figures"))
    pdf = load_run["requests"].get("action plan PDF", {}).get("average_bytes")
    if pdf:
        documents = a["organisations"] * 10  # plan, action plan, 4 board packs, 4 others
        rows.append(
            (
                "object storage",
                f"{documents * a['pdf_kept'] * pdf / 1e9:.2f} GB",
                f"{pdf / 1e3:.0f} KB per PDF (the action plan, measured) x {documents} documents "
                f"x {a['pdf_kept']} versions",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, (default, meaning) in ASSUMPTIONS.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=type(default), default=default, help=meaning
        )
    parser.add_argument("--scenario", default="fast", help="the load-test run to read")
    args = parser.parse_args(argv)
    results, bench = load(LOADTEST), load(BENCH)
    if not results or args.scenario not in results.get("runs", {}):
        print(f"No {args.scenario!r} run in {LOADTEST.relative_to(ROOT)}: run make loadtest.")
        return 1
    run = results["runs"][args.scenario]
    print(
        f"Measured: {results['when']}, {results['machine']['cores']} cores, "
        f"{results['users']} users for {results['seconds']} s ({args.scenario}), gunicorn "
        f"{results['web_workers']} workers x {results['web_threads']} threads, cache "
        f"{results['cache']}; benchmarks: {bench['when'] if bench else 'none'}"
    )
    print("\nPer kind of request (CPU in the web worker, gunicorn's own overhead included):")
    for name, cost in sorted(per_core(run).items(), key=lambda item: -item[1]["cpu_ms"]):
        print(f"  {name:<36} {cost['cpu_ms']:7.1f} ms CPU  {cost['per_core_per_s']:7.1f} /s/core")
    assumed = {name: getattr(args, name) for name in ASSUMPTIONS}
    print("\nAssumed (options of this script, not measured):")
    for name, value in assumed.items():
        print(f"  --{name.replace('_', '-'):<24} {value!s:>8}  {ASSUMPTIONS[name][1]}")
    print("\nThe region:")
    rows = plan(run, bench, assumed, results["web_workers"], results["web_threads"])
    for what, figure, how in rows:
        print(f"  {what:<26} {figure:>22}   {how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
