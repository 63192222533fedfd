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


def _public_base_url_errors():
    return [message for message in run_checks() if message.id == "core.E001"]


def test_errors_without_the_public_base_url(settings):
    """core.E001, an error naming PUBLIC_BASE_URL, when it is empty (as the
    production settings leave it unless the environment sets it)."""
    settings.PUBLIC_BASE_URL = ""

    [error] = _public_base_url_errors()

    assert error.is_serious()
    assert "PUBLIC_BASE_URL is not set" in error.msg
    assert "PUBLIC_BASE_URL" in error.hint


def test_errors_when_the_public_base_url_is_not_an_address(settings):
    settings.PUBLIC_BASE_URL = "kynangso.hungyen.gov.vn"

    [error] = _public_base_url_errors()

    assert "'kynangso.hungyen.gov.vn'" in error.msg


def test_silent_with_a_public_base_url(settings):
    settings.PUBLIC_BASE_URL = "https://kynangso.hungyen.gov.vn"

    assert _public_base_url_errors() == []
