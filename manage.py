#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Production, as lms/wsgi.py, on any machine whose environment holds the
    # site's secret key (a deployment: a worker or a migrate started there
    # without DJANGO_SETTINGS_MODULE must not run with DEBUG on and a known
    # key); a source checkout without one gets the development settings, so
    # that `manage.py check` works on a fresh clone. DJANGO_SETTINGS_MODULE
    # overrides both; the Makefile's targets set theirs.
    deployed = bool(os.environ.get("DJANGO_SECRET_KEY"))
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE",
        "lms.settings.production" if deployed else "lms.settings.dev",
    )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
