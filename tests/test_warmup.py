"""A web process loads its URLconf and compiles every template when it starts, not in its first
requests (config/warmup.py, issue 17)."""

from __future__ import annotations

import sys

import psutil
from django.template import engines

from config.warmup import template_names, warm_up
from planning import page_cache


def _cached_loader():
    (loader,) = engines["django"].engine.template_loaders
    return loader


class TestWarmUp:
    def test_every_project_template_is_compiled_and_the_urlconf_imported(self):
        loader = _cached_loader()
        loader.reset()
        names = template_names()
        assert "base.html" in names and "objectives/objective_detail.html" in names
        assert not loader.get_template_cache
        page_cache.code_digest.cache_clear()

        done = warm_up()

        assert done["templates"] == len(names)
        assert set(names) <= set(loader.get_template_cache)
        assert "config.urls" in sys.modules
        assert "objectives.views" in sys.modules
        assert page_cache.code_digest.cache_info().currsize == 1

    def test_a_broken_template_is_logged_not_raised(self, tmp_path, settings, caplog):
        (tmp_path / "broken.html").write_text("{% if %}")
        (tmp_path / "fine.html").write_text("<p>{{ x }}</p>")
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
        done = warm_up()
        assert done["templates"] == 1
        assert "Warm-up could not compile broken.html" in caplog.text

    def test_the_pdf_forkserver_is_started(self):
        warm_up()
        children = psutil.Process().children()
        assert any("forkserver" in " ".join(child.cmdline()) for child in children)
