#!/usr/bin/env python3
"""`make audit`: known vulnerabilities in the locked dependencies, reported honestly.

It runs pip-audit on exactly what uv.lock installs (`uv export --frozen`, hashes included, so
pip-audit resolves nothing itself: `--disable-pip`) and `npm audit --omit=dev` on
package-lock.json, reads their JSON, and decides:

- a finding not in the ignore file (audit-ignore.toml), or whose entry has expired: exit 1;
- nothing found, or every finding ignored by an entry that is still in date: exit 0;
- a tool could not reach its advisory service (pip-audit then reports every package as "could
  not be audited" and still prints "No known vulnerabilities found"; npm audit errors): the
  report says NOTHING WAS AUDITED (or NOT EVERYTHING WAS AUDITED), loudly, and exits 0 so a CI
  machine with a closed network stays green while showing the line; with --strict (make audit
  STRICT=1, before a release) it exits 3 instead;
- the ignore file is malformed, or a tool failed in a way we cannot read: exit 2.

It never prints a clean result it did not get: "no known vulnerabilities" appears only for an
ecosystem whose every package was audited.

Every ignore entry needs an advisory id (or one of its aliases: CVE, GHSA, PYSEC), a reason and
an expiry date; after that date it ignores nothing and the finding fails the audit again.

Plain Python (no Django), so the parsing and the decision are unit-tested on recorded outputs
(tests/ops/test_audit.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "audit-ignore.toml"

OK, FINDINGS, ERROR, NOT_AUDITED = 0, 1, 2, 3


@dataclass(frozen=True)
class Finding:
    ecosystem: str  # "python" or "npm"
    package: str
    version: str
    id: str
    aliases: tuple[str, ...] = ()
    title: str = ""

    @property
    def ids(self) -> set[str]:
        return {self.id.upper(), *(alias.upper() for alias in self.aliases)}

    def __str__(self) -> str:
        also = f" ({', '.join(self.aliases)})" if self.aliases else ""
        title = f": {self.title}" if self.title else ""
        return f"{self.ecosystem} {self.package} {self.version}: {self.id}{also}{title}"


@dataclass
class Report:
    """What one tool told us about one ecosystem."""

    ecosystem: str
    audited: int = 0  # packages checked against the advisories
    skipped: dict[str, str] = field(default_factory=dict)  # package -> why it was not
    findings: list[Finding] = field(default_factory=list)
    unreachable: str = ""  # why nothing could be checked at all
    error: str = ""  # the tool failed in a way we cannot read

    @property
    def nothing_audited(self) -> bool:
        return not self.error and (bool(self.unreachable) or self.audited == 0)


@dataclass(frozen=True)
class Ignore:
    id: str
    reason: str
    expires: dt.date
    package: str = ""

    def matches(self, finding: Finding) -> bool:
        if self.package and self.package.lower() != finding.package.lower():
            return False
        return self.id.upper() in finding.ids


class IgnoreFileError(ValueError):
    pass


# --- reading the tools' JSON -------------------------------------------------------------


def parse_pip_audit(text: str) -> Report:
    """pip-audit -f json: {"dependencies": [{"name", "version", "vulns": [...]} or
    {"name", "skip_reason"}], "fixes": [...]}."""
    report = Report("python")
    try:
        data = json.loads(text)
        dependencies = data["dependencies"]
    except (ValueError, KeyError, TypeError):
        report.error = "pip-audit produced no readable JSON"
        return report
    for dependency in dependencies:
        name = dependency.get("name", "?")
        if "skip_reason" in dependency:
            report.skipped[name] = dependency["skip_reason"]
            continue
        report.audited += 1
        for vuln in dependency.get("vulns", []):
            report.findings.append(
                Finding(
                    "python",
                    name,
                    dependency.get("version", "?"),
                    vuln["id"],
                    tuple(vuln.get("aliases", [])),
                )
            )
    if dependencies and not report.audited:
        # What pip-audit does when it cannot reach PyPI/OSV: every package "not found".
        first = next(iter(report.skipped.values()))
        report.unreachable = (
            f"pip-audit could not audit any of the {len(report.skipped)} locked Python packages "
            f"(e.g. {first!r}), though its own summary claims a clean result"
        )
    return report


def parse_npm_audit(text: str) -> Report:
    """npm audit --json (report version 2): {"vulnerabilities": {name: {"via": [advisory or
    name, ...], ...}}, "metadata": {"dependencies": {"prod": n, ...}}}, or {"error": ...}."""
    report = Report("npm")
    try:
        data = json.loads(text)
    except ValueError:
        report.error = "npm audit produced no readable JSON"
        return report
    if not isinstance(data, dict):
        report.error = "npm audit produced no readable JSON"
        return report
    if "error" in data:
        error = data["error"] if isinstance(data["error"], dict) else {}
        if error.get("code") == "ENOLOCK":
            report.error = f"npm audit needs package-lock.json: {error.get('summary', '')}"
            return report
        why = data.get("message") or error.get("summary") or error.get("code") or "an error"
        report.unreachable = f"npm audit could not reach the advisory service ({why})"
        return report
    if "vulnerabilities" not in data:
        report.error = "npm audit's JSON has neither vulnerabilities nor an error"
        return report
    dependencies = data.get("metadata", {}).get("dependencies", {})
    report.audited = dependencies.get("prod", dependencies.get("total", 0))
    seen = set()
    for name, entry in data["vulnerabilities"].items():
        # An entry's "via" holds advisories (dicts) for the package itself and plain names
        # for the packages it is vulnerable through; those have their own entries.
        for via in entry.get("via", []):
            if not isinstance(via, dict):
                continue
            url = via.get("url", "")
            advisory = url.rstrip("/").rsplit("/", 1)[-1] if "/advisories/" in url else ""
            advisory = advisory or f"npm-{via.get('source', '?')}"
            key = (via.get("name", name), advisory)
            if key in seen:
                continue
            seen.add(key)
            report.findings.append(
                Finding(
                    "npm",
                    via.get("name", name),
                    via.get("range", entry.get("range", "?")),
                    advisory,
                    (str(via["source"]),) if "source" in via else (),
                    via.get("title", ""),
                )
            )
    return report


# --- the ignore file ---------------------------------------------------------------------


def load_ignores(text: str) -> list[Ignore]:
    """[[ignore]] tables with id, reason, expires (a TOML date) and optionally package."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise IgnoreFileError(f"not valid TOML: {error}") from error
    unknown = set(data) - {"ignore"}
    if unknown:
        raise IgnoreFileError(f"unknown keys {sorted(unknown)}: only [[ignore]] entries")
    ignores = []
    for number, entry in enumerate(data.get("ignore", []), start=1):
        where = f"entry {number}"
        if not isinstance(entry, dict):
            raise IgnoreFileError(f"{where} is not a table")
        extra = set(entry) - {"id", "reason", "expires", "package"}
        if extra:
            raise IgnoreFileError(f"{where} has unknown keys {sorted(extra)}")
        for key in ("id", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise IgnoreFileError(f"{where} needs a non-empty {key}")
        expires = entry.get("expires")
        if not isinstance(expires, dt.date) or isinstance(expires, dt.datetime):
            raise IgnoreFileError(f"{where} ({entry['id']}) needs expires = YYYY-MM-DD (a date)")
        ignores.append(
            Ignore(entry["id"].strip(), entry["reason"].strip(), expires, entry.get("package", ""))
        )
    return ignores


# --- the decision ------------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    lines: list[str]


def decide(
    reports: list[Report], ignores: list[Ignore], today: dt.date, *, strict: bool = False
) -> Outcome:
    lines: list[str] = []
    failing: list[Finding] = []
    used: set[Ignore] = set()
    for report in reports:
        for finding in report.findings:
            entries = [entry for entry in ignores if entry.matches(finding)]
            current = [entry for entry in entries if entry.expires >= today]
            if current:
                used.update(current)
                lines.append(
                    f"ignored  {finding} — {current[0].reason} (until {current[0].expires})"
                )
                continue
            for entry in entries:
                used.add(entry)
                lines.append(
                    f"EXPIRED IGNORE for {entry.id} (expired {entry.expires}): it no longer ignores"
                )
            failing.append(finding)
    for finding in failing:
        lines.append(f"VULNERABLE  {finding}")
    for entry in ignores:
        if entry not in used:
            state = "expired" if entry.expires < today else "unused"
            lines.append(f"note: ignore entry {entry.id} is {state}; remove it if it is not needed")

    errors = [report for report in reports if report.error]
    blind = [report for report in reports if not report.error and report.nothing_audited]
    partial = [r for r in reports if not r.error and not r.nothing_audited and r.skipped]
    for report in errors:
        lines.append(f"ERROR: {report.error}")
    for report in partial:
        names = ", ".join(sorted(report.skipped)[:5])
        lines.append(
            f"NOT EVERYTHING WAS AUDITED: {len(report.skipped)} {report.ecosystem} packages could "
            f"not be audited ({names}…)"
        )
    for report in reports:
        if report.error or report.nothing_audited:
            continue
        found = sum(1 for f in failing if f.ecosystem == report.ecosystem)
        result = f"{found} unignored findings" if found else "no known vulnerabilities"
        lines.append(f"{report.ecosystem}: {report.audited} packages audited, {result}")
    if blind:
        what = "NOTHING WAS AUDITED" if len(blind) == len(reports) else "NOT EVERYTHING WAS AUDITED"
        lines.append(
            f"{what}: "
            + "; ".join(
                report.unreachable or f"{report.ecosystem}: no packages were audited"
                for report in blind
            )
            + "."
        )
        lines.append(
            "No clean result was obtained for that. Run `make audit` where the internet is "
            "reachable, and before every release (make audit STRICT=1)."
        )

    if failing:
        code = FINDINGS
    elif errors:
        code = ERROR
    elif (blind or partial) and strict:
        code = NOT_AUDITED
    else:
        code = OK
    return Outcome(code, lines)


# --- running the tools -------------------------------------------------------------------


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def run_pip_audit() -> Report:
    uv = _tool("uv")
    if uv is None:
        return Report("python", error="uv was not found (make install puts it in .venv)")
    exported = subprocess.run(  # noqa: S603
        [uv, "export", "--frozen", "--format", "requirements-txt", "--no-emit-project"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if exported.returncode != 0:
        return Report("python", error=f"uv export failed: {exported.stderr.strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        requirements, output = Path(tmp) / "requirements.txt", Path(tmp) / "pip-audit.json"
        requirements.write_text(exported.stdout)
        done = subprocess.run(  # noqa: S603
            [
                *([sys.executable, "-m", "pip_audit"]),
                *("-r", str(requirements), "--disable-pip", "--format", "json"),
                *("--desc", "off", "--progress-spinner", "off", "-o", str(output)),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if not output.exists():
            why = done.stderr.strip().splitlines()[-1:] or ["no output"]
            return Report("python", error=f"pip-audit failed: {why[0]}")
        return parse_pip_audit(output.read_text())


def run_npm_audit() -> Report:
    npm = shutil.which("npm")
    if npm is None:
        return Report("npm", unreachable="npm is not installed, so the front end was not audited")
    done = subprocess.run(  # noqa: S603
        [npm, "audit", "--omit=dev", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return parse_npm_audit(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ignore-file", type=Path, default=IGNORE_FILE)
    parser.add_argument(
        "--strict", action="store_true", help="exit 3 if anything could not be audited"
    )
    parser.add_argument("--pip-json", type=Path, help="read a saved pip-audit JSON instead")
    parser.add_argument("--npm-json", type=Path, help="read a saved npm audit JSON instead")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)

    try:
        text = args.ignore_file.read_text() if args.ignore_file.exists() else ""
        ignores = load_ignores(text)
    except IgnoreFileError as error:
        print(f"audit: {args.ignore_file.name} is invalid: {error}", file=sys.stderr)
        return ERROR
    python = parse_pip_audit(args.pip_json.read_text()) if args.pip_json else run_pip_audit()
    npm = parse_npm_audit(args.npm_json.read_text()) if args.npm_json else run_npm_audit()
    outcome = decide([python, npm], ignores, args.today, strict=args.strict)
    for line in outcome.lines:
        print(line)
    return outcome.code


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
