"""The WSGI entry point (gunicorn's): the app, with what it loaded kept out of the garbage
collector's full collections (config/wsgi.py, issue 17)."""

from __future__ import annotations

import gc


def test_the_loaded_app_is_frozen_out_of_the_collector():
    gc.unfreeze()  # whatever an earlier import of the module froze
    import importlib

    import config.wsgi

    importlib.reload(config.wsgi)
    assert callable(config.wsgi.application)
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
