import pytest

from .factories import build_world


@pytest.fixture
def world(db):
    """The hand-counted world of ``factories.build_world``."""
    return build_world()
