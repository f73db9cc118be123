"""Settings packages: base (shared), dev (manage.py default), test, prod (wsgi default)."""
