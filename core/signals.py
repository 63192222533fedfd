"""What core announces; the apps above listen (connected in their ready())."""

from django.dispatch import Signal

# A task row was marked failed because the worker running it is gone
# (core.workers.fail_dead_tasks). Sent once per row, with task_path, task_id
# (str), args, kwargs and times: how many runs of the same task with the same
# arguments were abandoned so far, this one included.
task_abandoned = Signal()
