"""`make loadtest` (python -m loadtest): measure the demo under load, as production runs it.

1. A fresh PostgreSQL database (waymark_loadtest on the server of DATABASE_URL, default the local
   one), migrated, with the demo loaded and every demo quarter reopened so managers may report.
2. gunicorn with production settings (config.settings.prod) on 127.0.0.1 only. Plain HTTP on
   loopback, so the cookies' Secure flag is turned off through its setting: nothing else differs.
3. Locust, headless and bounded: LOADTEST_USERS users for LOADTEST_TIME seconds, first at full
   speed (no pause between clicks), then at a person's pace (1-3 s).
4. The database is checked against what Locust saw: every accepted progress update is in the
   history exactly once, no stale save was applied, every accepted KPI value is there once.

Prints requests/s, median, p95, p99 and errors per page and in total, and writes them to
loadtest/results.json. Exit status 1 if a request failed or an update was lost or duplicated.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import dj_database_url

from benchmarks.harness import recreate_database

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "waymark_loadtest"
RESULTS = ROOT / "loadtest" / "results.json"
TARGETS = {  # issue 17: (requests/s at least, p95 ms under)
    "fast": (60, 300),
    "person": (None, 100),
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

CHECK = """
import json, re
from kpis.models import Measurement
from objectives.models import ProgressUpdate
ledger = json.load(open({ledger!r}))
seen = {{}}
for narrative in ProgressUpdate.all_objects.filter(narrative__contains="Load test").values_list(
        "narrative", flat=True):
    for marker in re.findall(r"load-(?:stale-)?[0-9a-f]{{32}}", narrative):
        seen[marker] = seen.get(marker, 0) + 1
accepted = ledger["accepted"]
print(json.dumps({{
    "accepted": len(accepted),
    "lost": sum(1 for m in accepted if seen.get(m, 0) == 0),
    "duplicated": sum(1 for m in accepted if seen.get(m, 0) > 1),
    "stale_refused": len(ledger["stale_refused"]),
    "stale_applied": sum(
        1 for m in ledger["stale_refused"] + ledger["stale_accepted"] if m in seen),
    "measurements_accepted": len(ledger["measurements"]),
    "measurements_in_database": Measurement.all_objects.filter(commentary="Load test").count(),
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
            name = "Total" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
            rows[name] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "requests_per_s": round(float(row["Requests/s"]), 1),
                "median_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
            }
    return rows


def show(pace: str, users: int, stats: dict) -> None:
    print(f"\n{users} users, {'full speed' if pace == 'fast' else 'a person pace (1-3 s)'}")
    heading = ("request", "count", "err", "req/s", "median", "p95", "p99")
    print("{:<40} {:>6} {:>4} {:>7} {:>7} {:>7} {:>7}".format(*heading))
    for name, row in sorted(stats.items(), key=lambda item: item[0] == "Total"):
        print(
            f"{name[:40]:<40} {row['requests']:>6} {row['errors']:>4} {row['requests_per_s']:>7}"
            f" {row['median_ms']:>6.0f}ms {row['p95_ms']:>5.0f}ms {row['p99_ms']:>5.0f}ms"
        )
    total = stats["Total"]
    floor, ceiling = TARGETS[pace]
    verdicts = []
    if floor is not None:
        verdicts.append(f"{total['requests_per_s']} req/s (target >= {floor})")
    verdicts.append(f"p95 {total['p95_ms']:.0f} ms (target < {ceiling})")
    verdicts.append(f"{total['errors']} errors (target 0)")
    print("  " + "; ".join(verdicts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", 20)))
    parser.add_argument("--time", type=int, default=int(os.environ.get("LOADTEST_TIME", 60)))
    parser.add_argument("--pace", choices=["fast", "person", "both"], default="both")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 3)))
    parser.add_argument("--port", type=int, default=8123)
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

    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(python).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "180",
        ],
        cwd=ROOT,
        env=env,
    )
    results = {"users": args.users, "seconds": args.time, "web_workers": args.workers, "runs": {}}
    failed = False
    try:
        wait_for(f"http://127.0.0.1:{args.port}/healthz")
        paces = ["fast", "person"] if args.pace == "both" else [args.pace]
        with tempfile.TemporaryDirectory(prefix="loadtest-") as scratch:
            for pace in paces:
                prefix = Path(scratch) / pace
                ledger = Path(scratch) / f"{pace}-ledger.json"
                run(
                    [
                        str(Path(python).parent / "locust"),
                        "-f",
                        str(ROOT / "loadtest" / "locustfile.py"),
                        "--headless",
                        "--users",
                        str(args.users),
                        "--spawn-rate",
                        str(args.users),
                        "--run-time",
                        f"{args.time}s",
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
                    {**os.environ, "LOADTEST_PACE": pace, "LOADTEST_LEDGER": str(ledger)},
                    stdout=subprocess.DEVNULL,
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
                results["runs"][pace] = {"requests": stats, "writes": writes}
                show(pace, args.users, stats)
                print(
                    f"  writes: {writes['accepted']} updates accepted, {writes['lost']} lost, "
                    f"{writes['duplicated']} duplicated; {writes['stale_refused']} stale saves "
                    f"refused with 409, {writes['stale_applied']} applied; KPI values "
                    f"{writes['measurements_accepted']} accepted, "
                    f"{writes['measurements_in_database']} in the database"
                )
                failed |= bool(
                    stats["Total"]["errors"]
                    or writes["lost"]
                    or writes["duplicated"]
                    or writes["stale_applied"]
                    or writes["measurements_accepted"] != writes["measurements_in_database"]
                )
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
