"""gunicorn hooks for `make loadtest`: the CPU each request costs the worker, by kind of request.

The worker's CPU clock before and after each request is the CPU it spent on it (Python,
template rendering, the database driver, Argon2's threads), whatever else runs on the machine: the
figure from which docs/capacity.md works out requests per second per core. Each worker appends
one line per request (kind, CPU ms, wall ms) to a file of its own in LOADTEST_CPU_DIR;
`python -m loadtest` adds them up. Not used in production.
"""

from __future__ import annotations

import functools
import os
import re
import time
from typing import TextIO

# The same names Locust gives the requests (loadtest/locustfile.py), from the path and method.
KINDS = [
    ("GET", r"/accounts/login/", "sign in (form)"),
    ("POST", r"/accounts/login/", "sign in"),
    ("GET", r"/", "home"),
    ("GET", r"/my-work/", "my work"),
    ("GET", r"/objectives/\d+/", "objective page"),
    ("GET", r"/objectives/\d+/update/", "progress update (form)"),
    ("POST", r"/objectives/\d+/update/", "progress update (save)"),
    ("GET", r"/kpis/\d+/measurements/new/", "measurement (form)"),
    ("POST", r"/kpis/\d+/measurements/new/", "measurement (save)"),
    ("GET", r"/measurements/\d+/edit/", "measurement correction (form)"),
    ("POST", r"/measurements/\d+/edit/", "measurement correction (save)"),
    ("GET", r"/kpis/\d+/", "KPI page"),
    ("GET", r"/plans/[a-z0-9-]+/scorecard/", "scorecard"),
    ("GET", r"/plans/[a-z0-9-]+/kpis/", "KPI list"),
    ("GET", r"/plans/[a-z0-9-]+/", "plan page"),
    ("GET", r"/objectives/", "objectives table"),
    ("GET", r"/objectives/export\.pdf", "action plan PDF"),
    ("GET", r"/audit/", "audit"),
    ("GET", r"/healthz", "health check"),
]
_KINDS = [(method, re.compile(pattern + r"\Z"), name) for method, pattern, name in KINDS]


def kind_of(method: str, path: str) -> str:
    for wanted, pattern, name in _KINDS:
        if method == wanted and pattern.match(path):
            return name
    return "other"


def _cpu_clock(worker):
    # A sync worker serves one request at a time, so the process's CPU is the request's,
    # including threads the request starts in C: Argon2 hashes a password on several threads of
    # its own, which time.thread_time() would miss (a sign-in read as 34 ms instead of ~230).
    # With several threads per worker, the process clock would count the others' requests too.
    return time.process_time if worker.cfg.threads <= 1 else time.thread_time


def pre_request(worker, req):
    req.loadtest_started = (_cpu_clock(worker)(), time.perf_counter())


def post_request(worker, req, environ, resp):
    started = getattr(req, "loadtest_started", None)
    folder = os.environ.get("LOADTEST_CPU_DIR")
    if started is None or not folder:
        return
    cpu_ms = (_cpu_clock(worker)() - started[0]) * 1000
    wall_ms = (time.perf_counter() - started[1]) * 1000
    line = f"{kind_of(req.method, req.path)}\t{cpu_ms:.3f}\t{wall_ms:.3f}\n"
    _log(os.getpid(), folder).write(line)


@functools.cache
def _log(pid: int, folder: str) -> TextIO:
    """Worker `pid`'s file, opened once: opening it for every request cost 1.7% of the workers'
    samples under load (py-spy), measurement overhead counted in the figures it measures.
    Line-buffered, so each request's line is on disk when the run stops the workers."""
    return open(os.path.join(folder, f"worker-{pid}.tsv"), "a", buffering=1)  # noqa: SIM115
