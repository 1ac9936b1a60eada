"""Gates every page passes: loads without script errors, makes no request beyond 127.0.0.1, and
has no violation of any axe-core rule for WCAG 2.2 A/AA or of axe's best practices, in light and
in dark colours. Pages that differ only in their words from another (a quiz's later versions and
answer keys) get the same full check: words can fail rules too (an empty label, a duplicate id).

On a phone's screen, every page that is not such a repeat must fit without sideways scrolling
and pass axe again, since some rules (target-size, scrollable regions) depend on the width."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import PREFIX, site_pages
from playwright.sync_api import expect
from quiz_pages import EVERY_AXE_RULE

PAGES = site_pages()
AXE = Axe()


def is_later_version(path: str) -> bool:
    """A quiz version, or an answer key, after the first: same template as the first, new words."""
    return bool(re.search(r"/quizzes/[^/]+/(variant-\d+|key-([2-9]|\d\d+))/$", path))


FULLY_CHECKED = [p for p in PAGES if not is_later_version(p)]


class Visitor:
    """One browser tab reused for every page: it records script errors and blocks, and notes,
    every request that tries to leave 127.0.0.1."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.route("**/*", self._guard)

    def _guard(self, route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def visit(self, url):
        self.errors.clear()
        self.outside.clear()
        self.page.goto(url, wait_until="load")


@pytest.fixture(scope="module")
def visitor(browser):
    context = browser.new_context(color_scheme="light")
    yield Visitor(context.new_page())
    context.close()


@pytest.fixture(scope="module")
def dark_visitor(browser):
    context = browser.new_context(color_scheme="dark")  # a visitor whose system prefers dark
    yield Visitor(context.new_page())
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_stays_local_and_passes_axe(visitor, base_url, path):
    visitor.visit(base_url + path)
    expect(visitor.page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    results = AXE.run(visitor.page, options=EVERY_AXE_RULE)
    assert visitor.outside == [], f"{path} requested third-party hosts"
    assert visitor.errors == [], f"{path} logged script errors"
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", PAGES)
def test_page_passes_axe_in_dark_colours(dark_visitor, base_url, path):
    dark_visitor.visit(base_url + path)
    expect(dark_visitor.page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    results = AXE.run(dark_visitor.page, options=EVERY_AXE_RULE)
    assert dark_visitor.errors == [], f"{path} logged script errors"
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="module")
def phone_tab(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", FULLY_CHECKED)
def test_page_fits_a_phone_screen_and_passes_axe_there(phone_tab, base_url, path):
    phone_tab.goto(base_url + path, wait_until="load")
    width, screen = phone_tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= screen, f"{path} is {width}px wide on a {screen}px screen"
    results = AXE.run(phone_tab, options=EVERY_AXE_RULE)
    assert results.violations_count == 0, results.generate_report()


def test_every_kind_of_page_is_checked_on_a_phone():
    """Only repeats of a template skip the phone check: every content page, every quiz's first
    version and its first answer key are in; each quiz's later versions and keys are out."""
    quizzes = {p[len(PREFIX) :].split("/")[1] for p in PAGES if p[len(PREFIX) :].count("/") >= 3}
    assert quizzes, "the site has quiz pages"
    for path in PAGES:
        if not path[len(PREFIX) :].startswith("quizzes/"):
            assert path in FULLY_CHECKED, path
    for quiz in quizzes:
        assert f"{PREFIX}quizzes/{quiz}/" in FULLY_CHECKED
        assert f"{PREFIX}quizzes/{quiz}/key-1/" in FULLY_CHECKED
        assert f"{PREFIX}quizzes/{quiz}/variant-2/" not in FULLY_CHECKED
        assert f"{PREFIX}quizzes/{quiz}/key-2/" not in FULLY_CHECKED
