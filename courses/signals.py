"""Signals the courses app sends."""

from django.dispatch import Signal

# Sent in the creating transaction after enrolments were made in bulk (a bulk
# insert sends no post_save), with enrolments=[the new Enrolment rows].
enrolments_created = Signal()
