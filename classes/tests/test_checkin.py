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
