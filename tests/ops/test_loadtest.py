"""`make loadtest` and `make capacity` (loadtest/): what they conclude from what they measured.

The load itself is not run here (it takes minutes and a quiet machine); these check the parts
that turn measurements into verdicts and machines: the request kinds the workers time match
the requests Locust makes, a lost or wrongly applied write fails the run, and the capacity
arithmetic follows its inputs.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import psutil
import pytest

from loadtest import __main__ as loadtest
from loadtest import capacity, gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]


def locust_names() -> set[str]:
    text = (ROOT / "loadtest" / "locustfile.py").read_text()
    # The `name=` argument of each request (not the HTML the file's patterns look for).
    return set(re.findall(r'(?<=[(, ])name="([^"{]+)"', text))


class TestRequestKinds:
    def test_every_request_locust_makes_is_timed_under_its_own_name(self):
        kinds = {name for _, _, name in gunicorn_conf.KINDS}
        # A stale save posts to the same address as the save: its CPU is the save's.
        names = locust_names()
        assert {"objective page", "scorecard", "measurement correction (save)"} <= names
        untimed = {n for n in names if "stale save" not in n} - kinds
        assert not untimed

    @pytest.mark.parametrize(
        ("method", "path", "kind"),
        [
            ("GET", "/objectives/12/", "objective page"),
            ("GET", "/objectives/", "objectives table"),
            ("GET", "/objectives/export.pdf", "action plan PDF"),
            ("POST", "/objectives/12/update/", "progress update (save)"),
            ("GET", "/plans/ssp-business-plan-2006-07/", "plan page"),
            ("GET", "/plans/ssp-business-plan-2006-07/kpis/", "KPI list"),
            ("GET", "/plans/ssp-business-plan-2006-07/scorecard/", "scorecard"),
            ("GET", "/kpis/3/", "KPI page"),
            ("POST", "/kpis/3/measurements/new/", "measurement (save)"),
            ("POST", "/measurements/9/edit/", "measurement correction (save)"),
            ("POST", "/objectives/12/", "other"),
            ("GET", "/nowhere/", "other"),
        ],
    )
    def test_a_path_is_given_its_kind(self, method, path, kind):
        assert gunicorn_conf.kind_of(method, path) == kind


CLEAN = {
    "updates_accepted": 30,
    "updates_lost": 0,
    "updates_duplicated": 0,
    "stale_refused_409": 6,
    "stale_applied": 0,
    "measurements_accepted": 8,
    "measurements_lost": 0,
    "measurements_duplicated": 0,
    "measurements_refused_409": 2,
    "measurements_refused_applied": 0,
}


class TestVerdicts:
    def test_clean_writes_pass(self):
        assert loadtest.write_failures(CLEAN) == []

    @pytest.mark.parametrize(
        "name",
        [
            "updates_lost",
            "updates_duplicated",
            "stale_applied",
            "measurements_lost",
            "measurements_duplicated",
            "measurements_refused_applied",
        ],
    )
    def test_a_lost_duplicated_or_wrongly_applied_write_fails(self, name):
        assert loadtest.write_failures({**CLEAN, name: 1}) == [f"{name} = 1"]

    def test_a_run_without_kpi_values_fails(self):
        assert loadtest.write_failures({**CLEAN, "measurements_accepted": 0}) == [
            "no KPI value was accepted"
        ]

    def outcome(self, *, window_errors=0, phase=True, phase_errors=0):
        return {
            "writes": CLEAN,
            "requests": {"Total": {"errors": window_errors}},
            "sign_in_phase": {"seconds": 4.2, "requests": {"Total": {"errors": phase_errors}}}
            if phase
            else None,
        }

    def test_a_clean_run_passes(self):
        assert loadtest.run_failures(self.outcome()) == []

    def test_errors_before_the_window_count_as_errors(self):
        # The sign-ins are kept out of the window's figures, never out of its verdict.
        assert loadtest.run_failures(self.outcome(window_errors=1, phase_errors=2)) == ["3 errors"]

    def test_a_window_that_never_opened_fails(self):
        assert loadtest.run_failures(self.outcome(phase=False)) == ["not every user signed in"]

    def test_targets_are_strict_and_the_person_pace_has_no_throughput_target(self):
        at_target = {"requests_per_s": 60, "p95_ms": 300, "errors": 0}
        met = {figure: ok for figure, _, _, ok in loadtest.verdicts("fast", at_target)}
        assert met == {"requests/s": True, "p95": False, "errors": True}
        person = loadtest.verdicts("person", {"requests_per_s": 1, "p95_ms": 99, "errors": 1})
        assert {figure: ok for figure, _, _, ok in person} == {"p95": True, "errors": False}


STATS_CSV = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,\
90%,95%,98%,99%,99.9%,99.99%,100%
POST,sign in,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
GET,objective page,120,0,41,45,20,300,12000,2.0,0,41,50,60,70,90,110,150,200,300,300,300
,Aggregated,120,0,41,45,20,300,12000,2.0,0,41,50,60,70,90,110,150,200,300,300,300
"""


class TestCacheLookups:
    def test_the_hit_rate_is_of_the_lookups_in_between(self):
        found = loadtest.lookups_since({"hits": 10, "misses": 5}, {"hits": 40, "misses": 15})
        assert found == {"hits": 30, "misses": 10, "hit_rate": 0.75}

    def test_without_redis_there_is_none(self):
        assert loadtest.lookups_since(None, None) is None
        assert loadtest.lookups_since({"hits": 1, "misses": 1}, {"hits": 1, "misses": 1}) == {
            "hits": 0,
            "misses": 0,
            "hit_rate": None,
        }


class TestReadStats:
    def test_rows_asked_only_before_the_window_are_left_out(self, tmp_path):
        (tmp_path / "run_stats.csv").write_text(STATS_CSV)
        rows = loadtest.read_stats(tmp_path / "run")
        assert set(rows) == {"objective page", "Total"}
        assert rows["objective page"]["p95_ms"] == 110
        assert rows["Total"]["requests_per_s"] == 2.0


def a_run(cpu_ms: float = 20.0) -> dict:
    kinds = {**capacity.UPDATE_VISIT, **capacity.BOARD_VISIT, **capacity.BROWSING}
    worker_cpu = {k: {"requests": 100, "cpu_mean_ms": cpu_ms} for k in kinds}
    in_requests = len(kinds) * 100 * cpu_ms / 1000
    return {
        "worker_cpu": worker_cpu,
        "cpu": {"gunicorn_s": in_requests * 1.1, "postgres_s": in_requests / 4, "redis_s": 0.1},
        "writes": {
            **CLEAN,
            "database_bytes_before": 20_000_000,
            "database_bytes": 20_380_000,
            "organisations": 2,
        },
        "cache": {"keys": 100, "bytes": 50_000},
        "requests": {"action plan PDF": {"average_bytes": 150_000}},
    }


def figure(rows, what: str) -> str:
    return next(value for name, value, _ in rows if name == what)


def cores(text: str) -> float:
    return float(text.split()[0])


ASSUMED = {name: default for name, (default, _) in capacity.ASSUMPTIONS.items()}


class TestCapacity:
    def test_per_core_throughput_includes_gunicorn_s_own_overhead(self):
        costs = capacity.per_core(a_run(cpu_ms=20.0))
        assert costs["scorecard"]["cpu_ms"] == pytest.approx(22.0)
        assert costs["scorecard"]["per_core_per_s"] == pytest.approx(1000 / 22.0)

    def test_web_cpu_follows_the_cost_per_request_and_the_demand(self):
        # Large enough costs that the printed figure's two decimals do not matter.
        base = capacity.plan(a_run(200.0), None, ASSUMED, workers=3, threads=1)
        dearer = capacity.plan(a_run(400.0), None, ASSUMED, workers=3, threads=1)
        busier = capacity.plan(
            a_run(200.0),
            None,
            {
                **ASSUMED,
                "updates_per_day": 2 * ASSUMED["updates_per_day"],
                "board_readers": 2 * ASSUMED["board_readers"],
                "users": 2 * ASSUMED["users"],
            },
            workers=3,
            threads=1,
        )
        web = cores(figure(base, "web CPU needed"))
        assert web > 0
        assert cores(figure(dearer, "web CPU needed")) == pytest.approx(2 * web, rel=0.02)
        assert cores(figure(busier, "web CPU needed")) == pytest.approx(2 * web, rel=0.02)

    def test_there_is_always_a_spare_web_server(self):
        rows = capacity.plan(a_run(0.01), None, ASSUMED, workers=3, threads=1)
        assert figure(rows, "web servers").startswith("2 x")

    def test_pdf_workers_come_from_the_benchmark_and_count_as_connections(self):
        bench = {"results": [{"label": "PDF: x", "render_s": 30.0}, {"label": "page"}]}
        without = capacity.plan(a_run(), None, ASSUMED, workers=3, threads=1)
        with_bench = capacity.plan(a_run(), bench, ASSUMED, workers=3, threads=1)
        assert figure(without, "task workers (PDFs)") == "run make bench"
        workers = int(figure(with_bench, "task workers (PDFs)"))
        assert workers >= 2
        connections = int(figure(with_bench, "database connections"))
        assert connections == int(figure(without, "database connections")) + workers

    def test_a_kind_missing_from_the_results_stops_it(self):
        run = copy.deepcopy(a_run())
        del run["worker_cpu"]["scorecard"]
        with pytest.raises(SystemExit, match="scorecard"):
            capacity.plan(run, None, ASSUMED, workers=3, threads=1)

    def test_without_results_it_says_what_to_run(self, tmp_path, monkeypatch, capsys):
        monkeypatch.setattr(capacity, "LOADTEST", tmp_path / "results.json")
        monkeypatch.setattr(capacity, "ROOT", tmp_path)
        assert capacity.main([]) == 1
        assert "run make loadtest" in capsys.readouterr().out


class TestCpuClock:
    """A request's CPU is read from the clock that sees all of it."""

    def _worker(self, threads):
        from types import SimpleNamespace

        return SimpleNamespace(cfg=SimpleNamespace(threads=threads))

    def test_a_sync_worker_counts_its_whole_process(self):
        # Argon2 hashes on C threads of its own: a sign-in's CPU is mostly outside the
        # request's Python thread.
        import threading

        clock = gunicorn_conf._cpu_clock(self._worker(1))
        before = clock()
        spin = threading.Thread(target=lambda: sum(range(3_000_000)))
        spin.start()
        spin.join()
        assert clock() - before > 0.01

    def test_a_threaded_worker_counts_only_the_request_s_thread(self):
        import time

        assert gunicorn_conf._cpu_clock(self._worker(4)) is time.thread_time


class TestServiceCpu:
    """PostgreSQL's CPU over the run: its backends come and go (CONN_MAX_AGE)."""

    def test_a_backend_that_ended_is_counted_through_its_parent(self):
        postmaster, early, late = 10, 11, 12
        before = {postmaster: (1.0, 50.0), early: (3.0, 0.0)}
        # `early` used 4 s more and ended (its 7 s reaped by the postmaster); `late` began
        # during the run and used 2 s; the postmaster itself 0.5 s.
        after = {postmaster: (1.5, 57.0), late: (2.0, 0.0)}
        assert loadtest.cpu_since(before, after) == pytest.approx(0.5 + 4.0 + 2.0)

    def test_processes_alive_throughout(self):
        assert loadtest.cpu_since({1: (2.0, 0.0)}, {1: (5.0, 0.0)}) == pytest.approx(3.0)

    def test_the_snapshot_reads_own_and_reaped_cpu(self):
        me = psutil.Process(os.getpid())
        first = sum(me.cpu_times()[:2])
        own, reaped = loadtest.service_cpu(me.name())[me.pid]
        assert first <= own <= sum(me.cpu_times()[:2]) and reaped >= 0
