"""Signals the outreach app sends. The apps above it (reports) listen, connected
in their ``AppConfig.ready()``; outreach imports none of them.
"""

from django.dispatch import Signal

# Sent in the writing transaction after helped-person records were created,
# confirmed, flagged or cleared, with records= (a list of HelpRecord). A listener
# that recounts should defer its work until the transaction commits
# (transaction.on_commit), as reports.receivers does for the other apps.
help_records_changed = Signal()
