from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.guard import refuse_without_debug


class Command(BaseCommand):
    help = (
        "Prepare the embedded demo site in one process: migrate, load the "
        "administrative units (current and pre-reform), load the demo content, "
        "index it for search and print the demo logins. Safe to run again: each "
        "step is idempotent."
    )

    def handle(self, *args, **options):
        refuse_without_debug("setup_demo_site")
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("load_regions", legacy=True, verbosity=verbosity)
        call_command("load_demo", verbosity=verbosity)
        # Pages found by search with or without accents, whatever indexed them
        # before (core.search).
        call_command("update_index", verbosity=max(verbosity - 1, 0))
        call_command("demo_logins", verbosity=verbosity)
