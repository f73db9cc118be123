"""`manage.py export_pdf`: scripted exports and clear errors."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.factories import KPIFactory, ObjectiveFactory
from tests.reporting.documents.conftest import all_text

pytestmark = pytest.mark.django_db


def export(*args):
    call_command("export_pdf", *args, verbosity=0)


class TestExportCommand:
    @pytest.mark.parametrize(
        ("document", "extra", "expected"),
        [
            ("plan", [], "Contents"),
            ("scorecard", ["--quarter", "2006-Q2"], "Board pack: quarterly scorecard"),
            ("actions", [], "Check the fire doors"),
            ("actions", ["--filters", "rag=red"], "Check the fire doors"),
        ],
    )
    def test_writes_each_document(self, plan, tmp_path, document, extra, expected):
        ObjectiveFactory(plan=plan, text="Check the fire doors", rag="red")
        KPIFactory(plan=plan)
        out = tmp_path / f"{document}.pdf"
        export("--plan", plan.slug, "--document", document, *extra, "-o", str(out))
        assert out.read_bytes().startswith(b"%PDF")
        assert expected in all_text(out)

    def test_plan_by_id_and_the_cache(self, plan, tmp_path, capsys):
        first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
        call_command("export_pdf", "--plan", str(plan.pk), "--document", "plan", "-o", first)
        call_command("export_pdf", "--plan", str(plan.pk), "--document", "plan", "-o", second)
        output = capsys.readouterr().out
        assert "rendered" in output and "from the cache" in output
        assert first.read_bytes() == second.read_bytes()

    def test_a_filter_narrows_the_action_plan(self, plan, tmp_path):
        ObjectiveFactory(plan=plan, text="Red item", rag="red")
        ObjectiveFactory(plan=plan, text="Green item", rag="green")
        out = tmp_path / "red.pdf"
        export("--plan", plan.slug, "--document", "actions", "--filters", "rag=red", "-o", out)
        text = all_text(out)
        assert "Red item" in text and "Green item" not in text

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--plan", "no-such-plan", "--document", "plan"], "No plan with the id or slug"),
            (["--plan", "999999", "--document", "plan"], "No plan with the id or slug"),
            (["--plan", "{slug}", "--document", "brochure"], "Unknown document 'brochure'"),
            (
                ["--plan", "{slug}", "--document", "scorecard", "--quarter", "2006-Q5"],
                "is not a quarter such as 2006-Q2",
            ),
            (
                ["--plan", "{slug}", "--document", "scorecard", "--quarter", "2010-Q1"],
                "2010-Q1 is not a quarter of",
            ),
            (
                ["--plan", "{slug}", "--document", "plan", "--quarter", "2006-Q1"],
                "--quarter applies only to --document scorecard",
            ),
            (
                ["--plan", "{slug}", "--document", "actions", "--filters", "rag=purple"],
                "Invalid --filters",
            ),
        ],
    )
    def test_clear_errors(self, plan, tmp_path, args, message):
        args = [a.format(slug=plan.slug) for a in args]
        with pytest.raises(CommandError, match=message):
            export(*args, "-o", str(tmp_path / "x.pdf"))

    def test_an_unwritable_output(self, plan, tmp_path):
        with pytest.raises(CommandError, match="Cannot write"):
            export("--plan", plan.slug, "--document", "plan", "-o", str(tmp_path / "no" / "x.pdf"))
