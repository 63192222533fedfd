"""What every browser test does on the cheap phone: log in, and check that a page
fits the screen."""

import re

from playwright.sync_api import Page, expect

# The width of the phone of conftest.PHONE.
PHONE_WIDTH = 360


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a 360px phone"


def log_in(
    page: Page, phone: str, password: str, next_url: str, *, lands_on_next=True
) -> None:
    """Log in on the login page and, unless told, check that it goes on to
    next_url (a page that redirects further is not checked)."""
    page.goto(f"/tai-khoan/dang-nhap/?next={next_url}")
    form = page.locator("form.form")
    form.locator("input[name=username]").fill(phone)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    if lands_on_next:
        expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
