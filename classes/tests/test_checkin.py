"""The rotating check-in code: a 30-second window, six digits, and the
countdown the teacher's screen shows."""

from classes import checkin

# The start of a window: a multiple of 30 seconds.
START = 1_780_000_020.0


def test_the_code_holds_for_thirty_seconds_then_changes():
    """Within one window the code stays; at the next one it changes, and the
    previous code is still let in for one more window, no longer."""
    code = checkin.checkin_code(7, checkin.current_window(START))

    assert checkin.checkin_code(7, checkin.current_window(START + 29.9)) == code
    assert checkin.current_window(START + 30) == checkin.current_window(START) + 1
    assert checkin.code_is_valid(7, code, now=START + 30 + 29.9) is True
    assert checkin.code_is_valid(7, code, now=START + 60) is False


def test_every_code_is_six_digits():
    codes = [checkin.checkin_code(session, 1000) for session in range(500)]

    assert all(len(code) == 6 and code.isdigit() for code in codes)


def test_the_screen_counts_down_the_seconds_left_in_the_window():
    assert checkin.seconds_left(START) == 30
    assert checkin.seconds_left(START + 10) == 20
    assert checkin.seconds_left(START + 29.5) == 1


def test_codes_are_spread_over_a_million_so_they_cannot_be_guessed():
    """500 sessions get 500 different codes, with every first digit in use: the
    whole range of six digits is drawn on, not a small corner of it."""
    codes = [checkin.checkin_code(session, 1000) for session in range(500)]

    assert len(set(codes)) == 500
    assert {code[0] for code in codes} == set("0123456789")


def test_the_code_is_derived_from_the_secret_key(settings):
    """A known answer: the code is fixed by the site's secret key, the session and
    the window, so a code shown in class does not change across a restart, and
    another secret gives other codes."""
    settings.SECRET_KEY = "a-known-secret-for-this-vector"

    assert checkin.checkin_code(7, 59_333_334) == "712595"
    assert checkin.checkin_code(7, 59_333_335) == "939363"
    assert checkin.checkin_code(8, 59_333_334) == "210940"

    settings.SECRET_KEY = "another-secret"
    assert checkin.checkin_code(7, 59_333_334) != "712595"
