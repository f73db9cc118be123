"""WSGI entry point (gunicorn); defaults to the production settings."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_wsgi_application()

# The URLconf, every view and every template, loaded now rather than by the first requests.
from config.warmup import warm_up  # noqa: E402 - needs the settings configured above

warm_up()

# Everything loaded so far (Django, every app, the URLs, the compiled templates) lives as long
# as the process: out of the garbage collector's sight, so that its full collections, which
# otherwise walk all of it every few requests, stop adding tens of milliseconds to one request
# in ten (the scorecard's p95 in process CPU time: about 210 ms with them, 110 ms without, its
# median unchanged, on a loaded machine).
gc.freeze()
