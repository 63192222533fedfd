"""Signals the courses app sends. The apps that build on courses listen to them
(connected in their ``AppConfig.ready()``); courses imports none of them."""

from django.dispatch import Signal

# Sent in the creating transaction after enrolments were made in bulk (a bulk
# insert sends no post_save), with enrolments=[the new Enrolment rows].
enrolments_created = Signal()

# Sent in the completing transaction when an enrolment becomes completed (its
# course's rule met for the first time), with enrolment=. certificates issues
# what the completion earns.
enrolment_completed = Signal()
