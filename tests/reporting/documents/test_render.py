"""HTML to PDF in a child process: our fetcher only, a time limit and a memory limit."""

from __future__ import annotations

import os
from urllib.parse import urljoin

import pytest

from reporting.documents import assemble
from reporting.documents.render import (
    RenderError,
    RenderTimeout,
    render_pdf,
)
from tests.reporting.documents.conftest import all_text

HOSTILE = """<!DOCTYPE html><html lang="en-GB"><head><title>T</title>
<link rel="stylesheet" href="css/pdf.css">
<link rel="stylesheet" href="file:///etc/passwd">
<link rel="stylesheet" href="https://evil.example/x.css">
</head><body>
<p>Safe text</p>
<img src="http://evil.example/track.png" alt="tracker">
<img src="file:///etc/hostname" alt="local file">
<img src="../../../../etc/passwd" alt="climbing out">
</body></html>"""


def render(html, tmp_path, **limits):
    target = tmp_path / "out.pdf"
    options = {"timeout": 60, "memory_mb": 2048} | limits
    result = render_pdf(
        html,
        base_url=assemble.base_url(),
        static_roots=assemble.static_roots(),
        target=target,
        **options,
    )
    return result, target


class TestRender:
    def test_renders_through_our_fetcher_only(self, tmp_path):
        result, target = render(HOSTILE, tmp_path)
        assert target.read_bytes().startswith(b"%PDF")
        assert "Safe text" in all_text(target)
        assert [url.rsplit("/", 2)[-2:] for url in result.fetched] == [["css", "pdf.css"]]
        # The relative path climbs from wherever the checkout is: at a shallow depth it reaches
        # /etc/passwd, deeper it stops inside the tree. Either way it is outside the static
        # files, and refused.
        climbed = urljoin(assemble.base_url(), "../../../../etc/passwd")
        assert sorted(result.refused) == sorted(
            [
                "file:///etc/passwd",
                "https://evil.example/x.css",
                "http://evil.example/track.png",
                "file:///etc/hostname",
                climbed,
            ]
        )

    def test_the_render_runs_at_a_lower_cpu_priority(self, tmp_path):
        # Pages before PDFs: the child lowers its own priority by the amount asked (at most 19,
        # the lowest), and never touches the parent's.
        mine = os.nice(0)
        result, _ = render("<html lang='en-GB'><body><p>x</p></body></html>", tmp_path, niceness=7)
        assert result.niceness == min(19, mine + 7)
        assert os.nice(0) == mine
        result, _ = render("<html lang='en-GB'><body><p>x</p></body></html>", tmp_path)
        assert result.niceness == mine

    def test_a_render_past_its_time_limit_is_stopped(self, tmp_path):
        html = "<html lang='en-GB'><body>" + "<p>Lorem ipsum dolor</p>" * 30000 + "</body></html>"
        with pytest.raises(RenderTimeout):
            render(html, tmp_path, timeout=0.2)
        assert not (tmp_path / "out.pdf").exists()

    def test_a_render_past_its_memory_limit_fails_cleanly(self, tmp_path):
        html = "<html lang='en-GB'><body>" + "<p>Lorem ipsum dolor</p>" * 30000 + "</body></html>"
        # MemoryError in the child (or the child killed by it): reported, never half a file.
        with pytest.raises(RenderError):
            render(html, tmp_path, memory_mb=150)
        assert not (tmp_path / "out.pdf").exists()

    def test_a_failing_render_is_reported(self, tmp_path):
        with pytest.raises(RenderError):
            render_pdf(
                "<p>x</p>",
                base_url=assemble.base_url(),
                static_roots=[],
                target=tmp_path / "missing-dir" / "out.pdf",
                timeout=30,
                memory_mb=2048,
            )
