"""The real administrative units, loaded once per test module and undone after it."""

from types import SimpleNamespace

import pytest

from core.testing import rolled_back
from regions.loader import load_current_regions, load_legacy_regions


@pytest.fixture(scope="module")
def official_regions(django_db_setup, django_db_blocker):
    """Load the 3,355 current and 10,810 pre-reform units for the module's tests.

    Each test still runs in its own savepoint (``db``), so what a test changes is
    undone after it; the load itself is rolled back when the module ends.
    """
    with django_db_blocker.unblock(), rolled_back():
        yield SimpleNamespace(
            current=load_current_regions(), legacy=load_legacy_regions()
        )
