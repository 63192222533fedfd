from unittest import mock

from django.core.checks import run_checks


def _ids():
    return {message.id for message in run_checks()}


def test_warns_without_harfbuzz_subset():
    """core.W001 warns when libharfbuzz-subset cannot be found."""
    with mock.patch("ctypes.util.find_library", return_value=None) as find_library:
        ids = _ids()

    assert "core.W001" in ids
    find_library.assert_any_call("harfbuzz-subset")


def test_silent_with_harfbuzz_subset():
    """core.W001 stays silent when libharfbuzz-subset is installed."""
    with mock.patch("ctypes.util.find_library", return_value="libharfbuzz-subset.so.0"):
        ids = _ids()

    assert "core.W001" not in ids
