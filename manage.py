#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Production, as lms/wsgi.py, unless told otherwise: a worker or a migrate
    # started without the variable must not run with DEBUG on and a known key.
    # The Makefile's targets say lms.settings.dev (make run) or .test.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
