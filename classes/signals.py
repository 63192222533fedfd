"""Signals the classes app sends. The apps that build on classes listen to them
(connected in their ``AppConfig.ready()``); classes imports none of them."""

from django.dispatch import Signal

# Sent in the marking transaction after a person's attendance at a session was
# recorded, whatever its status, with attendance= and user= (the row is written
# in one statement, without a model save). reports counts it.
attendance_recorded = Signal()

# Sent in the marking transaction after a person's attendance at a session was
# recorded as attended (present or late), with attendance=, user= and
# training_class=. certificates issues what the attendance now earns.
attendance_marked = Signal()
