"""Gates every page passes: loads cleanly, stays on 127.0.0.1, and has no axe-core violation."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import site_pages

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = site_pages()


def visit(page, url):
    """Load url; return the script errors and the requests that tried to leave 127.0.0.1."""
    errors, outside = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(url, wait_until="networkidle")
    return errors, outside


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_script_errors_or_outside_requests(page, base_url, path):
    errors, outside = visit(page, base_url + path)
    assert outside == [], f"{path} requested third-party hosts"
    assert errors == [], f"{path} logged script errors"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations(page, base_url, path, scheme):
    page.emulate_media(color_scheme=scheme)
    visit(page, base_url + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
    assert results.violations_count == 0, results.generate_report()
