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


# Every visible link, button and disclosure that is too small to tap: one that
# stands alone (the only text of its block) under 44px tall, or one inside a
# sentence whose line leaves it under the 24px that WCAG 2.5.8 asks of a target
# without spacing. Returns "text: height" strings.
SMALL_TAP_TARGETS = """() => {
  const blocks = "p, li, td, th, dd, dt, div, nav, section, form, header, footer, "
    + "figcaption, label";
  const small = [];
  for (const element of document.querySelectorAll("a[href], button, summary")) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= 0) continue;
    if (getComputedStyle(element).visibility === "hidden") continue;
    const block = element.parentElement.closest(blocks);
    const own = element.textContent.trim();
    const alone = !block || block.textContent.trim() === own
      || getComputedStyle(element).display !== "inline";
    if (alone && box.height < 44) {
      const name = own || element.outerHTML.slice(0, 60);
      small.push(`${name}: ${Math.round(box.height)}px`);
    } else if (!alone) {
      const line = parseFloat(getComputedStyle(block).lineHeight) || box.height;
      if (Math.max(line, box.height) < 24) {
        small.push(`${own}: ${Math.round(line)}px line`);
      }
    }
  }
  return small;
}"""


def small_tap_targets(page: Page) -> list[str]:
    """Return the page's controls too small to tap on a phone, with its path."""
    path = page.evaluate("location.pathname")
    return [f"{path} {target}" for target in page.evaluate(SMALL_TAP_TARGETS)]


def header_link(page: Page, href: str):
    """Open the header's menu and return its link to href, visible."""
    menu = page.locator("header .site-menu")
    if not menu.evaluate("menu => menu.open"):
        menu.locator("summary").click()
    return menu.locator(f"a[href='{href}']")
