"""The load test's users (Locust). Run by `python -m loadtest`, not on its own.

Every demo role signs in with its own session. Managers open My work and their items and post
progress updates and KPI values (a new period's value, or a correction when every period has
one), with the version checks the pages carry; one save in every four is deliberately
resubmitted from the stale page, which must be refused with 409. Board
members read the quarterly scorecard and the KPI pages; the planner reads the plan and exports
the action plan PDF; the administrator reads the plan and the audit page.

What each write did is kept in memory and written to LOADTEST_LEDGER when Locust stops, so
`python -m loadtest` can check the database: every accepted update exactly once, no refused one.

The measured window is that of the issue's "20 signed-in users": it opens once every user has
signed in and read their first pages, and lasts LOADTEST_MEASURE_SECONDS. What was asked
before it (the sign-ins, all in the same second, each a deliberately slow password hash) is
kept apart in the ledger, counted and reported, its errors included, not mixed into the
window's figures.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from html import unescape

import gevent
from locust import FastHttpUser, between, constant, events, task

PASSWORD = "waymark-demo"
PACE = os.environ.get("LOADTEST_PACE", "fast")
WAIT = between(1, 3) if PACE == "person" else constant(0)
MEASURE_SECONDS = float(os.environ.get("LOADTEST_MEASURE_SECONDS", "0"))
READY = {"users": 0, "started": 0.0}

LEDGER: dict[str, list] = {
    "accepted": [],
    "stale_refused": [],
    "stale_accepted": [],
    "measurements": [],
    "measurements_refused": [],
    "measurements_stale_accepted": [],
    # Filled when every user has signed in: what was asked until then, by name.
    "sign_in_phase": None,
}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OBJECTIVE_LINK = re.compile(r'href="/objectives/(\d+)/"')
KPI_LINK = re.compile(r'href="/kpis/(\d+)/"')
CORRECTION_LINK = re.compile(r'href="/measurements/(\d+)/edit/"')
PLAN_LINK = re.compile(r'href="/plans/([a-z0-9-]+)/"')


def field(html: str, name: str) -> str | None:
    found = re.search(rf'name="{name}"[^>]*?value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*?name="{name}"', html
    )
    return unescape(found.group(1)) if found else None


def snapshot(stats) -> dict:
    """Count, errors, median, p95 and slowest of each kind of request so far, and in total."""
    rows = {}
    for entry in [*stats.entries.values(), stats.total]:
        if entry.num_requests == 0 and entry.num_failures == 0:
            continue
        rows["Total" if entry is stats.total else entry.name] = {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "median_ms": entry.median_response_time,
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": round(entry.max_response_time),
        }
    return rows


def user_ready(environment) -> None:
    """One more user signed in and on their first page: when it is the last, the measured
    window opens (the figures so far are set aside) and is closed MEASURE_SECONDS later."""
    READY["users"] += 1
    if READY["users"] != environment.runner.target_user_count:
        return
    LEDGER["sign_in_phase"] = {
        "seconds": round(time.monotonic() - READY["started"], 2),
        "requests": snapshot(environment.stats),
    }
    environment.stats.reset_all()
    if MEASURE_SECONDS:
        gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


@events.test_start.add_listener
def opened(environment, **kwargs):
    READY["started"] = time.monotonic()


def first_option(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if not select:
        return None
    values = [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]
    return unescape(values[0]) if values else None


# FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares the
# two cores with the server it measures, and Locust's documentation gives FastHttpUser several
# times the requests per core, so less of the machine goes to the generator.
class Member(FastHttpUser):
    abstract = True
    wait_time = WAIT
    usernames: tuple[str, ...] = ()

    def on_start(self):
        # Each role's demo users in turn, so that every organisation's pages and writes are in
        # the mix however few users run (only one demo plan has KPIs with periods to fill).
        turns = type(self).__dict__.get("_turns")
        if turns is None:
            turns = type(self)._turns = itertools.count()
        self.username = self.usernames[next(turns) % len(self.usernames)]
        page = self.client.get("/accounts/login/", name="sign in (form)")
        response = self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                "username": self.username,
                "password": PASSWORD,
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in: {response.status_code}")
        self.home = self.client.get("/", name="home").text
        self.plans = sorted(set(PLAN_LINK.findall(self.home))) or []
        self.first_pages()
        user_ready(self.environment)

    def first_pages(self):
        """What this role reads first after signing in (before the measured window)."""

    def post_form(self, url: str, data: dict, *, name: str):
        return self.client.post(
            url,
            data=data,
            headers={"Referer": self.host + url},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )


class Manager(Member):
    weight = 10
    usernames = ("ssp-manager", "ccg-manager")

    def first_pages(self):
        self.objectives = []
        self.kpis = []
        self.my_work()
        # The KPIs a manager may enter values for: those of their plan (the form says if not).
        for slug in self.plans[:1]:
            page = self.client.get(f"/plans/{slug}/kpis/", name="KPI list").text
            self.kpis = sorted(set(KPI_LINK.findall(page)))

    @task(3)
    def my_work(self):
        page = self.client.get("/my-work/", name="my work").text
        self.objectives = sorted(set(OBJECTIVE_LINK.findall(page))) or self.objectives

    @task(5)
    def objective_page(self):
        if self.objectives:
            pk = random.choice(self.objectives)  # noqa: S311
            self.client.get(f"/objectives/{pk}/", name="objective page")

    @task(2)
    def progress_update(self):
        if not self.objectives:
            return
        pk = random.choice(self.objectives)  # noqa: S311
        url = f"/objectives/{pk}/update/"
        form = self.client.get(url, name="progress update (form)").text
        period = first_option(form, "period")
        version = field(form, "version")
        if period is None or version is None:
            return  # no open quarter for this item
        marker = f"load-{uuid.uuid4().hex}"
        data = {
            "csrfmiddlewaretoken": CSRF.search(form).group(1),
            "period": period,
            "rag": "green",
            "status": "in_progress",
            "percent_complete": str(random.randint(10, 90)),  # noqa: S311
            "narrative": f"Load test update {marker}",
            "next_steps": "",
            "evidence_url": "",
            "version": version,
            "submission_token": field(form, "submission_token") or "",
        }
        with self.post_form(url, data, name="progress update (save)") as response:
            if response.status_code == 302:
                response.success()
                LEDGER["accepted"].append(marker)
            elif response.status_code == 409:
                # Someone else saved this item since the form was read: refused, as it must be.
                response.success()
                LEDGER["stale_refused"].append(marker)
            else:
                response.failure(f"unexpected {response.status_code}")
                return
        if random.random() < 0.25:  # noqa: S311
            # The same page submitted again with a new token but the old version: stale.
            stale = f"load-stale-{uuid.uuid4().hex}"
            again = self.client.get(url, name="progress update (form)").text
            data.update(
                narrative=f"Load test stale update {stale}",
                csrfmiddlewaretoken=CSRF.search(again).group(1),
                submission_token=field(again, "submission_token") or "",
            )
            with self.post_form(url, data, name="progress update (stale save)") as response:
                if response.status_code == 409:
                    response.success()
                    LEDGER["stale_refused"].append(stale)
                else:
                    response.failure(f"a stale save answered {response.status_code}, not 409")
                    if response.status_code == 302:
                        LEDGER["stale_accepted"].append(stale)

    @task(1)
    def measurement(self):
        """A KPI value for a period that has none yet; when every period has one, a correction
        of a value (the demo's KPIs are mostly filled in)."""
        if not self.kpis:
            return
        pk = random.choice(self.kpis)  # noqa: S311
        url = f"/kpis/{pk}/measurements/new/"
        form = self.client.get(url, name="measurement (form)")
        period = first_option(form.text, "period") if form.status_code == 200 else None
        if period is None:
            self.correction(pk)
            return
        marker = f"load-{uuid.uuid4().hex}"
        data = {
            "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
            "period": period,
            "value": str(random.randint(1, 99)),  # noqa: S311
            "commentary": f"Load test value {marker}",
            "submission_token": field(form.text, "submission_token") or "",
        }
        if self.save_value(url, data, marker, name="measurement (save)"):
            # The form as it was, sent again (a new token): the period is filled now, by us.
            self.stale_value(url, data, name="measurement (stale save)")

    def correction(self, kpi_pk: str):
        page = self.client.get(f"/kpis/{kpi_pk}/", name="KPI page").text
        links = sorted(set(CORRECTION_LINK.findall(page)))
        if not links:
            return
        url = f"/measurements/{random.choice(links)}/edit/"  # noqa: S311
        form = self.client.get(url, name="measurement correction (form)").text
        version = field(form, "version")
        if version is None:
            return  # may no longer be corrected (its quarter closed)
        marker = f"load-{uuid.uuid4().hex}"
        data = {
            "csrfmiddlewaretoken": CSRF.search(form).group(1),
            "value": str(random.randint(1, 99)),  # noqa: S311
            "commentary": f"Load test correction {marker}",
            "version": version,
            "submission_token": field(form, "submission_token") or "",
        }
        if self.save_value(url, data, marker, name="measurement correction (save)"):
            # The same form again with the version it was read at: stale now.
            self.stale_value(url, data, name="measurement correction (stale save)")

    def save_value(self, url: str, data: dict, marker: str, *, name: str) -> bool:
        """Post a KPI value; True if it was accepted and a stale copy should follow."""
        with self.post_form(url, data, name=name) as response:
            if response.status_code == 302:
                response.success()
                LEDGER["measurements"].append(marker)
                return random.random() < 0.25  # noqa: S311
            if response.status_code == 409:
                # Another manager saved this value since the form was read: refused.
                response.success()
                LEDGER["measurements_refused"].append(marker)
            else:
                response.failure(f"unexpected {response.status_code}")
        return False

    def stale_value(self, url: str, data: dict, *, name: str) -> None:
        stale = f"load-stale-{uuid.uuid4().hex}"
        again = self.client.get(url, name=name.replace("stale save", "form")).text
        token = field(again, "submission_token")
        # A page may offer no form now (a corrected value whose quarter closed once it was no
        # longer a generated demo value; a new value's every period filled): the old form is
        # resubmitted all the same, and must still be refused as stale, 409.
        data = {
            **data,
            "commentary": f"Load test stale value {stale}",
            "csrfmiddlewaretoken": CSRF.search(again).group(1),
            "submission_token": token or "",
        }
        with self.post_form(url, data, name=name) as response:
            if response.status_code == 409:
                response.success()
                LEDGER["measurements_refused"].append(stale)
            else:
                response.failure(f"a stale value answered {response.status_code}, not 409")
                if response.status_code == 302:
                    LEDGER["measurements_stale_accepted"].append(stale)


class BoardMember(Member):
    weight = 6
    usernames = ("ssp-board", "ccg-board")

    def first_pages(self):
        self.kpis = []

    @task(3)
    def scorecard(self):
        for slug in self.plans[:1]:
            page = self.client.get(f"/plans/{slug}/scorecard/", name="scorecard").text
            self.kpis = sorted(set(KPI_LINK.findall(page))) or self.kpis

    @task(2)
    def kpi_list(self):
        for slug in self.plans[:1]:
            self.client.get(f"/plans/{slug}/kpis/", name="KPI list")

    @task(2)
    def kpi_page(self):
        if self.kpis:
            self.client.get(f"/kpis/{random.choice(self.kpis)}/", name="KPI page")  # noqa: S311

    @task(1)
    def plan_page(self):
        for slug in self.plans[:1]:
            self.client.get(f"/plans/{slug}/", name="plan page")


class Planner(Member):
    weight = 1
    usernames = ("ssp-planner", "ccg-planner")

    @task(3)
    def plan_page(self):
        for slug in self.plans[:1]:
            self.client.get(f"/plans/{slug}/", name="plan page")

    @task(2)
    def objectives_table(self):
        self.client.get("/objectives/", name="objectives table")

    @task(1)
    def action_plan_pdf(self):
        self.client.get("/objectives/export.pdf", name="action plan PDF")


class Administrator(Member):
    weight = 1
    usernames = ("ssp-admin", "ccg-admin")

    @task(2)
    def plan_page(self):
        for slug in self.plans[:1]:
            self.client.get(f"/plans/{slug}/", name="plan page")

    @task(1)
    def audit(self):
        self.client.get("/audit/", name="audit")


@events.quitting.add_listener
def write_ledger(environment, **kwargs):
    path = os.environ.get("LOADTEST_LEDGER")
    if path:
        with open(path, "w") as out:
            json.dump(LEDGER, out)
