"""`make audit` (scripts/audit.py): what it concludes from recorded pip-audit and npm audit output.

The unreachable outputs are the real ones from this build machine; the others follow the
tools' JSON shapes (see recorded/README.md). No network is used: the tools are not run.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDED = Path(__file__).parent / "recorded"

_spec = importlib.util.spec_from_file_location("waymark_audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = audit  # dataclasses look their module up by name
_spec.loader.exec_module(audit)

TODAY = dt.date(2026, 11, 26)


def recorded(name: str) -> str:
    return (RECORDED / name).read_text()


def pip(name: str):
    return audit.parse_pip_audit(recorded(f"pip-audit-{name}.json"))


def npm(name: str):
    return audit.parse_npm_audit(recorded(f"npm-audit-{name}.json"))


def ignore_file(*entries: str) -> list:
    return audit.load_ignores("\n".join(entries))


def entry(id: str, expires: str, reason: str = "Not reachable from Waymark's code.") -> str:
    return f'[[ignore]]\nid = "{id}"\nreason = "{reason}"\nexpires = {expires}\n'


def text(outcome) -> str:
    return "\n".join(outcome.lines)


class TestParsingPipAudit:
    def test_the_unreachable_run_audited_nothing(self):
        report = pip("unreachable")
        assert report.audited == 0
        assert report.skipped and report.nothing_audited
        assert "could not audit any" in report.unreachable
        assert not report.findings

    def test_a_clean_run_audited_every_package(self):
        report = pip("clean")
        assert report.audited == 3
        assert not report.skipped and not report.findings and not report.nothing_audited

    def test_a_finding_carries_its_id_and_aliases(self):
        (finding,) = pip("finding").findings
        assert (finding.package, finding.version, finding.id) == (
            "django",
            "4.2.1",
            "PYSEC-2023-100",
        )
        assert "CVE-2023-36053" in finding.aliases

    def test_output_that_is_not_pip_audit_json_is_an_error(self):
        assert audit.parse_pip_audit("Traceback …").error


class TestParsingNpmAudit:
    @pytest.mark.parametrize("name", ["unreachable", "offline-enotfound"])
    def test_an_error_from_the_advisory_service_audited_nothing(self, name):
        report = npm(name)
        assert report.nothing_audited and not report.error
        assert "could not reach" in report.unreachable

    def test_a_clean_run_counts_the_production_packages(self):
        report = npm("clean")
        assert report.audited == 3 and not report.findings and not report.nothing_audited

    def test_one_finding_per_advisory_not_per_package_it_reaches(self):
        (finding,) = npm("finding").findings
        assert (finding.package, finding.id) == ("minimist", "GHSA-xvch-5gv4-984h")
        assert "1096544" in finding.aliases

    def test_a_missing_lockfile_is_an_error_not_a_network_problem(self):
        report = audit.parse_npm_audit('{"error": {"code": "ENOLOCK", "summary": "no lock"}}')
        assert report.error and not report.unreachable


class TestIgnoreFile:
    def test_an_entry_needs_an_id_a_reason_and_a_date(self):
        assert ignore_file(entry("CVE-1", "2027-01-31"))[0].expires == dt.date(2027, 1, 31)
        for broken in (
            '[[ignore]]\nid = "CVE-1"\nexpires = 2027-01-31\n',  # no reason
            '[[ignore]]\nid = "CVE-1"\nreason = "r"\n',  # no expiry
            '[[ignore]]\nid = "CVE-1"\nreason = "r"\nexpires = "soon"\n',  # not a date
            '[[ignore]]\nid = "CVE-1"\nreason = "r"\nexpires = 2027-01-31\nby = "me"\n',
            "ignore = [",  # not TOML
        ):
            with pytest.raises(audit.IgnoreFileError):
                ignore_file(broken)

    def test_the_projects_ignore_file_is_valid(self):
        audit.load_ignores((ROOT / "audit-ignore.toml").read_text())


class TestDecision:
    def test_clean_on_both_passes_and_says_so(self):
        outcome = audit.decide([pip("clean"), npm("clean")], [], TODAY)
        assert outcome.code == audit.OK
        assert "python: 3 packages audited, no known vulnerabilities" in text(outcome)
        assert "NOTHING WAS AUDITED" not in text(outcome)

    def test_a_finding_fails(self):
        outcome = audit.decide([pip("finding"), npm("clean")], [], TODAY)
        assert outcome.code == audit.FINDINGS
        assert "VULNERABLE  python django 4.2.1: PYSEC-2023-100" in text(outcome)

    @pytest.mark.parametrize("id", ["PYSEC-2023-100", "CVE-2023-36053", "ghsa-jh3w-4vvf-mjgr"])
    def test_a_finding_ignored_in_date_by_any_alias_passes(self, id):
        outcome = audit.decide(
            [pip("finding"), npm("clean")], ignore_file(entry(id, "2026-12-31")), TODAY
        )
        assert outcome.code == audit.OK
        assert "ignored  python django" in text(outcome)

    def test_an_entry_is_in_date_on_its_expiry_day_and_not_after(self):
        ignores = ignore_file(entry("GHSA-xvch-5gv4-984h", "2026-11-26"))
        assert audit.decide([pip("clean"), npm("finding")], ignores, TODAY).code == audit.OK
        later = audit.decide([pip("clean"), npm("finding")], ignores, TODAY + dt.timedelta(1))
        assert later.code == audit.FINDINGS
        assert "EXPIRED IGNORE for GHSA-xvch-5gv4-984h" in text(later)

    def test_an_entry_for_another_package_does_not_ignore(self):
        ignores = ignore_file(entry("PYSEC-2023-100", "2027-01-31") + 'package = "flask"\n')
        assert audit.decide([pip("finding"), npm("clean")], ignores, TODAY).code == audit.FINDINGS

    def test_unused_entries_are_pointed_out(self):
        ignores = ignore_file(entry("CVE-2000-1", "2027-01-31"))
        outcome = audit.decide([pip("clean"), npm("clean")], ignores, TODAY)
        assert outcome.code == audit.OK
        assert "ignore entry CVE-2000-1 is unused" in text(outcome)

    def test_unreachable_says_nothing_was_audited_and_never_clean(self):
        outcome = audit.decide([pip("unreachable"), npm("unreachable")], [], TODAY)
        assert outcome.code == audit.OK  # a closed network must not turn CI red…
        assert text(outcome).count("NOTHING WAS AUDITED:") == 1  # …but says so
        assert "no known vulnerabilities" not in text(outcome).lower()

    def test_strict_fails_when_nothing_was_audited(self):
        outcome = audit.decide([pip("unreachable"), npm("unreachable")], [], TODAY, strict=True)
        assert outcome.code == audit.NOT_AUDITED

    def test_one_side_unreachable_is_not_everything(self):
        outcome = audit.decide([pip("clean"), npm("unreachable")], [], TODAY)
        assert "NOT EVERYTHING WAS AUDITED: npm audit could not reach" in text(outcome)
        assert "python: 3 packages audited, no known vulnerabilities" in text(outcome)
        assert "npm:" not in text(outcome)
        assert audit.decide([pip("clean"), npm("unreachable")], [], TODAY, strict=True).code == 3

    def test_a_finding_still_fails_when_the_other_side_was_unreachable(self):
        outcome = audit.decide([pip("finding"), npm("unreachable")], [], TODAY)
        assert outcome.code == audit.FINDINGS

    def test_some_packages_skipped_is_said(self):
        outcome = audit.decide([pip("partial"), npm("clean")], [], TODAY)
        assert "NOT EVERYTHING WAS AUDITED: 1 python packages" in text(outcome)
        assert outcome.code == audit.OK
        assert audit.decide([pip("partial"), npm("clean")], [], TODAY, strict=True).code == 3

    def test_a_tool_failure_is_an_error(self):
        broken = audit.parse_pip_audit("")
        assert audit.decide([broken, npm("clean")], [], TODAY).code == audit.ERROR


class TestCommandLine:
    def run(self, *args):
        return subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "scripts" / "audit.py"), *args],
            capture_output=True,
            text=True,
            check=False,
        )

    def test_recorded_unreachable_outputs_print_the_line_and_exit_zero(self):
        done = self.run(
            "--pip-json",
            str(RECORDED / "pip-audit-unreachable.json"),
            "--npm-json",
            str(RECORDED / "npm-audit-unreachable.json"),
        )
        assert done.returncode == 0
        assert done.stdout.startswith("NOTHING WAS AUDITED: pip-audit could not audit any of")

    def test_an_invalid_ignore_file_stops_the_audit(self, tmp_path):
        bad = tmp_path / "ignore.toml"
        bad.write_text('[[ignore]]\nid = "CVE-1"\n')
        done = self.run(
            "--ignore-file",
            str(bad),
            "--pip-json",
            str(RECORDED / "pip-audit-clean.json"),
            "--npm-json",
            str(RECORDED / "npm-audit-clean.json"),
        )
        assert done.returncode == audit.ERROR
        assert "needs a non-empty reason" in done.stderr
