"""`make loadtest` (python -m loadtest): measure the demo under load, as production runs it.

1. A fresh PostgreSQL database (LOADTEST_DB, default waymark_loadtest, on the server of
   DATABASE_URL, default the local one), migrated, with the demo loaded and every demo quarter
   reopened so managers may report.
2. gunicorn with production settings (config.settings.prod) on 127.0.0.1 only, started afresh
   for each scenario. Plain HTTP on loopback, so the cookies' Secure flag is turned off through
   its setting: nothing else differs. The cache is Redis when REDIS_URL is set, as in production.
3. Locust, headless and bounded, one run per scenario (--scenario, or SCENARIO= in make). The
   users sign in first; the measured window (--time seconds) opens once all of them have
   (the issue's "20 signed-in users"); the sign-ins and first pages before it are reported
   apart, their errors counted as any others:
   "fast"   - LOADTEST_USERS users (default 20) clicking as fast as the server answers;
   "person" - the same users at a person's pace, 1-3 s between clicks;
   "both"   - one after the other (the default).
4. The database is checked against what Locust saw: every accepted progress update and KPI
   value is in the database exactly once, and no save that was refused with 409 was applied.

Prints, per scenario, requests/s, median, p95, p99 and errors per page and in total beside the
issue's targets, the writes' counts, and the CPU that gunicorn and Locust each used (they share
the machine's cores); the CPU per request of each kind, measured in the workers
(loadtest/gunicorn_conf.py), is what docs/capacity.md is worked out from
(`python -m loadtest.capacity`). Everything goes to loadtest/results.json. Exit status 1 if a
request failed or an update was lost, duplicated or wrongly applied; a missed speed target is
reported, not failed on (figures on a busy machine mean little).

gunicorn: --workers (WEB_WORKERS, default 3) and --threads (WEB_THREADS, default 1) as in the
Dockerfile. On 2 cores, with pages that spend their time in Python (the GIL), one process per
core plus one to cover the moments a worker waits on PostgreSQL is the most that helps: more
processes only take turns on the same two cores, and here they would also take them from the
load generator. Threads help only a worker that waits (a PDF rendered in a child process);
compare with --threads 2.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import dj_database_url
import psutil  # a dependency of Locust

from benchmarks.harness import percentile, recreate_database

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.environ.get("LOADTEST_DB", "waymark_loadtest")
RESULTS = ROOT / "loadtest" / "results.json"
SCENARIOS = {
    "fast": "full speed (no pause between clicks)",
    "person": "a person's pace (1-3 s between clicks)",
}
# Seconds the users may take to sign in before the measured window opens, at most, beyond the
# time it takes Locust to start them all (--spawn-rate).
SIGN_IN_ALLOWANCE = 120
# Issue 17's targets on a 2-core machine, load generator included.
TARGETS = {
    "fast": {"min_requests_per_s": 60, "max_p95_ms": 300, "max_errors": 0},
    "person": {"min_requests_per_s": None, "max_p95_ms": 100, "max_errors": 0},
}

SETUP = """
from django.contrib.auth import get_user_model
from planning import reporting_window
from planning.fy import Quarter
from planning.models import Membership, Plan
for plan in Plan.objects.all():
    planner = get_user_model().objects.filter(
        memberships__organisation=plan.organisation, memberships__role="planner").first()
    for year in plan.financial_years:
        for number in (1, 2, 3, 4):
            reporting_window.quarter_reopen(plan=plan, quarter=Quarter(year, number), by=planner,
                                            reason="Load test: managers report on the demo")
print("reopened", Plan.objects.count(), "plans")
"""

# Counts every load-test marker in the database: progress updates (narrative; each is a row of
# its own, all_objects: withdrawn ones too) and KPI values (commentary, in their history).
CHECK = """
import json, re
from django.db import connection
from kpis.models import Measurement
from objectives.models import ProgressUpdate
from planning.models import Organisation
ledger = json.load(open({ledger!r}))
def count(texts, pattern):
    seen = {{}}
    for text in texts:
        for marker in re.findall(pattern, text):
            seen[marker] = seen.get(marker, 0) + 1
    return seen
updates = count(ProgressUpdate.all_objects.filter(narrative__contains="load-").values_list(
    "narrative", flat=True), r"load-(?:stale-)?[0-9a-f]{{32}}")
# A KPI value's history has one row per accepted save (new value or correction), with the
# commentary it was saved with.
values = count(Measurement.history.filter(commentary__contains="load-").values_list(
    "commentary", flat=True), r"load-(?:stale-)?[0-9a-f]{{32}}")
def lost(accepted, seen):
    return sum(1 for m in accepted if seen.get(m, 0) == 0)
def duplicated(accepted, seen):
    return sum(1 for m in accepted if seen.get(m, 0) > 1)
def applied(refused, seen):
    return sum(1 for m in refused if m in seen)
with connection.cursor() as cursor:
    cursor.execute("select pg_database_size(current_database())")
    size = cursor.fetchone()[0]
print(json.dumps({{
    "updates_accepted": len(ledger["accepted"]),
    "updates_lost": lost(ledger["accepted"], updates),
    "updates_duplicated": duplicated(ledger["accepted"], updates),
    "stale_refused_409": len(ledger["stale_refused"]),
    "stale_applied": applied(ledger["stale_refused"] + ledger["stale_accepted"], updates),
    "measurements_accepted": len(ledger["measurements"]),
    "measurements_lost": lost(ledger["measurements"], values),
    "measurements_duplicated": duplicated(ledger["measurements"], values),
    "measurements_refused_409": len(ledger["measurements_refused"]),
    "measurements_refused_applied": applied(
        ledger["measurements_refused"] + ledger["measurements_stale_accepted"], values),
    "database_bytes": size,
    "organisations": Organisation.objects.count(),
}}))
"""


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def read_stats(prefix: Path) -> dict:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            name = "Total" if row["Name"] == "Aggregated" else row["Name"]
            if name != "Total" and not int(row["Request Count"]) and not int(row["Failure Count"]):
                continue  # asked only before the measured window (the sign-ins)
            rows[name] = {
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "requests_per_s": round(float(row["Requests/s"]), 2),
                "median_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "average_bytes": round(float(row["Average Content Size"] or 0)),
            }
    return rows


def read_worker_cpu(folder: Path) -> dict:
    """The CPU each kind of request cost the gunicorn worker that answered it."""
    cpu, wall = defaultdict(list), defaultdict(list)
    for path in folder.glob("worker-*.tsv"):
        for line in path.read_text().splitlines():
            kind, cpu_ms, wall_ms = line.split("\t")
            cpu[kind].append(float(cpu_ms))
            wall[kind].append(float(wall_ms))
    return {
        kind: {
            "requests": len(values),
            "cpu_mean_ms": round(sum(values) / len(values), 2),
            "cpu_p95_ms": round(percentile(values, 95), 2),
            "server_wall_mean_ms": round(sum(wall[kind]) / len(wall[kind]), 2),
        }
        for kind, values in sorted(cpu.items())
    }


def process_tree_cpu(process: psutil.Process) -> float:
    """CPU seconds of a process and its children still running (gunicorn and its workers)."""
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def service_cpu(name: str) -> dict[int, tuple[float, float]]:
    """CPU seconds of each running process called `name` (postgres, redis-server), by pid: its
    own, and that of its children it has reaped. On a quiet machine, the database's and the
    cache's share of the work."""
    found = {}
    for process in psutil.process_iter(["name"]):
        if process.info["name"] == name:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            found[process.pid] = (
                times.user + times.system,
                times.children_user + times.children_system,
            )
    return found


def cpu_since(
    before: dict[int, tuple[float, float]], after: dict[int, tuple[float, float]]
) -> float:
    """CPU used between two service_cpu() snapshots. A PostgreSQL backend ends when its
    connection closes (web workers reopen theirs every CONN_MAX_AGE seconds), so most of the
    window's backends are gone by its end: their CPU is in the postmaster's reaped children's,
    less what each had used before the window. Counting only the processes alive at the end
    read 1 s for a minute's run."""
    used = 0.0
    for pid, (own, reaped) in after.items():
        own_before, reaped_before = before.get(pid, (0.0, 0.0))
        used += (own - own_before) + (reaped - reaped_before)
    for pid, (own_before, _) in before.items():
        if pid not in after:
            used -= own_before  # its whole life is in its parent's reaped children now
    return used


def _redis():
    """A client for the Redis of REDIS_URL, or None when the site runs without one."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url)


def cache_usage() -> dict | None:
    """This site's keys in the Redis of REDIS_URL: how many, and the memory they take."""
    client = _redis()
    if client is None:
        return None
    prefix = os.environ.get("CACHE_KEY_PREFIX", "waymark")
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    used = sum(client.memory_usage(key) or 0 for key in keys)
    return {"keys": len(keys), "bytes": used}


def cache_lookups() -> dict | None:
    """The Redis server's lookups so far that found a key, and that did not (INFO stats: the
    whole server's, so a quiet machine's figure is this site's)."""
    client = _redis()
    if client is None:
        return None
    stats = client.info("stats")
    return {"hits": stats["keyspace_hits"], "misses": stats["keyspace_misses"]}


def lookups_since(before: dict | None, after: dict | None) -> dict | None:
    if before is None or after is None:
        return None
    hits = after["hits"] - before["hits"]
    misses = after["misses"] - before["misses"]
    total = hits + misses
    return {"hits": hits, "misses": misses, "hit_rate": round(hits / total, 3) if total else None}


def database_bytes(env: dict) -> int:
    import psycopg2

    with psycopg2.connect(env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
        cursor.execute("select pg_database_size(current_database())")
        return cursor.fetchone()[0]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def verdicts(scenario: str, total: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, measured, target, met) for the scenario's targets."""
    target = TARGETS[scenario]
    rows = []
    if target["min_requests_per_s"] is not None:
        rows.append(
            (
                "requests/s",
                f"{total['requests_per_s']}",
                f">= {target['min_requests_per_s']}",
                total["requests_per_s"] >= target["min_requests_per_s"],
            )
        )
    rows.append(
        (
            "p95",
            f"{total['p95_ms']:.0f} ms",
            f"< {target['max_p95_ms']} ms",
            total["p95_ms"] < target["max_p95_ms"],
        )
    )
    rows.append(
        ("errors", str(total["errors"]), "0", total["errors"] <= target["max_errors"]),
    )
    return rows


def write_failures(writes: dict) -> list[str]:
    """What went wrong with the writes: each must be 0, and values must have been written."""
    must_be_zero = [
        "updates_lost",
        "updates_duplicated",
        "stale_applied",
        "measurements_lost",
        "measurements_duplicated",
        "measurements_refused_applied",
    ]
    problems = [f"{name} = {writes[name]}" for name in must_be_zero if writes[name]]
    if not writes["updates_accepted"]:
        problems.append("no progress update was accepted")
    if not writes["measurements_accepted"]:
        problems.append("no KPI value was accepted")
    return problems


def run_failures(outcome: dict) -> list[str]:
    """Why a scenario's run failed: its writes, a request that failed in the measured window or
    before it (the sign-ins), or a user who never signed in (the window never opened)."""
    problems = write_failures(outcome["writes"])
    errors = outcome["requests"]["Total"]["errors"]
    phase = outcome["sign_in_phase"]
    if phase is None:
        problems.append("not every user signed in")
    else:
        errors += phase["requests"].get("Total", {}).get("errors", 0)
    if errors:
        problems.append(f"{errors} errors")
    return problems


def show(scenario: str, users: int, seconds: int, run: dict) -> None:
    stats, writes, cpu = run["requests"], run["writes"], run["cpu"]
    print(f"\n== {users} users for {seconds} s at {SCENARIOS[scenario]}")
    heading = ("request", "count", "err", "req/s", "median", "p95", "p99", "CPU/req")
    print("{:<36} {:>6} {:>4} {:>7} {:>8} {:>8} {:>8} {:>8}".format(*heading))
    per_kind = run["worker_cpu"]
    for name, row in sorted(stats.items(), key=lambda item: (item[0] == "Total", item[0])):
        kind_cpu = per_kind.get(name, {}).get("cpu_mean_ms")
        print(
            f"{name[:36]:<36} {row['requests']:>6} {row['errors']:>4} {row['requests_per_s']:>7}"
            f" {row['median_ms']:>6.0f}ms {row['p95_ms']:>6.0f}ms {row['p99_ms']:>6.0f}ms"
            f" {f'{kind_cpu:.1f}ms' if kind_cpu is not None else '':>8}"
        )
    phase = run["sign_in_phase"]
    if phase:
        total = phase["requests"].get("Total", {})
        print(
            f"\n  before the window: {users} users signed in and read their first pages in "
            f"{phase['seconds']:.1f} s: {total.get('requests', 0)} requests, "
            f"{total.get('errors', 0)} errors, median {total.get('median_ms', 0):.0f} ms, "
            f"p95 {total.get('p95_ms', 0):.0f} ms"
            + "".join(
                f"; {name} median {row['median_ms']:.0f} ms, slowest {row['max_ms']} ms"
                for name, row in sorted(phase["requests"].items())
                if name.startswith("sign in")
            )
        )
    print("\n  target check (the issue's targets, load generator on the same machine):")
    for figure, measured, target, met in run["targets"]:
        print(f"    {figure:<11} {measured:>10}   target {target:<9} {'met' if met else 'NOT MET'}")
    print(
        f"\n  writes: progress updates {writes['updates_accepted']} accepted, "
        f"{writes['updates_lost']} lost, {writes['updates_duplicated']} duplicated (must be 0); "
        f"{writes['stale_refused_409']} stale saves refused with 409, "
        f"{writes['stale_applied']} applied (must be 0)"
    )
    print(
        f"          KPI values {writes['measurements_accepted']} accepted, "
        f"{writes['measurements_lost']} lost, {writes['measurements_duplicated']} duplicated "
        f"(must be 0); {writes['measurements_refused_409']} stale saves "
        f"refused with 409, {writes['measurements_refused_applied']} applied (must be 0)"
    )
    cores = os.cpu_count() or 1
    print(
        f"  CPU over {cpu['wall_s']:.0f} s on {cores} cores: gunicorn {cpu['gunicorn_s']:.0f} s "
        f"({cpu['gunicorn_cores']:.2f} cores), Locust {cpu['locust_s']:.0f} s "
        f"({cpu['locust_cores']:.2f} cores), machine busy {cpu['machine_busy_cores']:.2f} cores "
        "(the rest of it: PostgreSQL, Redis, anything else running)"
    )
    print(
        f"  PostgreSQL {cpu['postgres_s']:.0f} s CPU, Redis {cpu['redis_s']:.0f} s CPU (every "
        "process of theirs on this machine); database "
        f"{writes['database_bytes_before'] / 1e6:.1f} -> {writes['database_bytes'] / 1e6:.1f} MB"
        + (
            f"; cache {run['cache']['keys']} keys, {run['cache']['bytes'] / 1e6:.2f} MB"
            if run["cache"]
            else ""
        )
    )
    lookups = run.get("cache_lookups")
    if lookups and lookups["hit_rate"] is not None:
        print(
            f"  cache lookups: {lookups['hits']} found, {lookups['misses']} not "
            f"({100 * lookups['hit_rate']:.0f}% found; every write raises the content version, "
            "so the next reader of each kept part misses)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario",
        choices=["fast", "person", "both"],
        default=os.environ.get("LOADTEST_SCENARIO", "both"),
    )
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", 20)))
    parser.add_argument("--time", type=int, default=int(os.environ.get("LOADTEST_TIME", 60)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 3)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 1)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 8123)))
    # Users started per second. The default starts them all at once: every sign-in (a
    # deliberately slow password hash) lands in the same second, which is the worst case; a
    # quarter-end morning spreads them out, e.g. --spawn-rate 1.
    parser.add_argument("--spawn-rate", type=float, default=None)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waymark")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("make loadtest runs on PostgreSQL: set DATABASE_URL=postgres://…")
    recreate_database(config, DATABASE)
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    database_url = (
        f"postgres://{config['USER']}{password}@{config['HOST']}:{config['PORT'] or 5432}/"
        f"{DATABASE}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: the browser-side rules for HTTPS only.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
    }
    python = sys.executable
    print(f"Setting up {DATABASE}: migrate, demo, reopened quarters, static files…", flush=True)
    run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([python, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    run([python, "manage.py", "shell", "-c", SETUP], env, stdout=subprocess.DEVNULL)
    run([python, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)

    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "users": args.users,
        "spawn_rate": args.spawn_rate or args.users,
        "seconds": args.time,
        "web_workers": args.workers,
        "web_threads": args.threads,
        "cache": "redis" if os.environ.get("REDIS_URL") else "locmem (per process)",
        "targets": TARGETS,
        "runs": {},
    }
    print(f"gunicorn: {args.workers} workers x {args.threads} threads; cache {results['cache']}")
    failed = False
    scenarios = list(SCENARIOS) if args.scenario == "both" else [args.scenario]
    with tempfile.TemporaryDirectory(prefix="loadtest-") as scratch:
        for scenario in scenarios:
            outcome = run_scenario(scenario, args, env, Path(scratch))
            results["runs"][scenario] = outcome
            show(scenario, args.users, args.time, outcome)
            problems = run_failures(outcome)
            if problems:
                failed = True
                print(f"  FAILED: {', '.join(problems)}")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 1 if failed else 0


def run_scenario(scenario: str, args, env: dict, scratch: Path) -> dict:
    python = sys.executable
    size_before = database_bytes(env)
    prefix = scratch / scenario
    ledger = scratch / f"{scenario}-ledger.json"
    cpu_dir = scratch / f"{scenario}-cpu"
    cpu_dir.mkdir()
    spawn_rate = args.spawn_rate or args.users
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(python).parent / "gunicorn"),
            "config.wsgi:application",
            "--config",
            str(ROOT / "loadtest" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "180",
        ],
        cwd=ROOT,
        env={**env, "LOADTEST_CPU_DIR": str(cpu_dir)},
    )
    try:
        wait_for(f"http://127.0.0.1:{args.port}/healthz")
        server = psutil.Process(gunicorn.pid)
        server_before, locust_before = process_tree_cpu(server), children_cpu()
        postgres_before, redis_before = service_cpu("postgres"), service_cpu("redis-server")
        lookups_before = cache_lookups()
        machine_before, started = psutil.cpu_times(), time.monotonic()
        run(
            [
                str(Path(python).parent / "locust"),
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(spawn_rate),
                # The window closes itself --time seconds after the last sign-in; this bounds the
                # whole run should the sign-ins never finish.
                "--run-time",
                f"{args.time + SIGN_IN_ALLOWANCE + math.ceil(args.users / spawn_rate)}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            {
                **os.environ,
                "LOADTEST_PACE": scenario,
                "LOADTEST_LEDGER": str(ledger),
                "LOADTEST_MEASURE_SECONDS": str(args.time),
            },
            stdout=subprocess.DEVNULL,
        )
        wall = time.monotonic() - started
        machine_after = psutil.cpu_times()
        server_s = process_tree_cpu(server) - server_before
        locust_s = children_cpu() - locust_before
        postgres_s = cpu_since(postgres_before, service_cpu("postgres"))
        redis_s = cpu_since(redis_before, service_cpu("redis-server"))
        lookups = lookups_since(lookups_before, cache_lookups())
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    busy = sum(
        getattr(machine_after, f) - getattr(machine_before, f)
        for f in machine_after._fields
        if f not in ("idle", "iowait", "guest", "guest_nice")
    )
    stats = read_stats(prefix)
    check = subprocess.run(  # noqa: S603
        [python, "manage.py", "shell", "-c", CHECK.format(ledger=str(ledger))],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    writes = json.loads(check.stdout.strip().splitlines()[-1])
    writes["database_bytes_before"] = size_before
    return {
        "requests": stats,
        "sign_in_phase": json.loads(ledger.read_text()).get("sign_in_phase"),
        "targets": verdicts(scenario, stats["Total"]),
        "writes": writes,
        "worker_cpu": read_worker_cpu(cpu_dir),
        "cpu": {
            "wall_s": round(wall, 1),
            "gunicorn_s": round(server_s, 1),
            "gunicorn_cores": round(server_s / wall, 2),
            "locust_s": round(locust_s, 1),
            "locust_cores": round(locust_s / wall, 2),
            "machine_busy_cores": round(busy / wall, 2),
            "postgres_s": round(postgres_s, 1),
            "redis_s": round(redis_s, 1),
        },
        "cache": cache_usage(),
        "cache_lookups": lookups,
    }


if __name__ == "__main__":
    sys.exit(main())
