"""What a student does on the site: search, switch to dark mode, read the phases."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PREFIX, ROOT
from playwright.sync_api import expect

from generator.content import load_content
from generator.render import format_pct


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "content")


def test_search_for_asciminib_shows_a_result(page, base_url):
    page.goto(base_url + PREFIX)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("asciminib")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    expect(results.first).to_contain_text("sciminib")


def test_dark_mode_toggle_switches_and_is_remembered(page, base_url):
    page.emulate_media(color_scheme="light")
    page.goto(base_url + PREFIX)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator("label[title='Switch to dark mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(base_url + PREFIX + "phases/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")


def test_dark_mode_toggle_works_from_the_keyboard(page, base_url):
    page.emulate_media(color_scheme="light")
    page.goto(base_url + PREFIX)
    for _ in range(10):  # Tab through the header to the toggle, as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Switch to dark mode":
            break
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_phases_page_shows_each_phase_with_its_blast_threshold(page, base_url, content):
    page.goto(base_url + PREFIX + "phases/")
    table = page.locator("table").first
    for phase in content.phases.phases:
        row = table.locator("tr", has_text=phase.name)
        expect(row).to_have_count(1)
        if phase.min_blasts_pct is not None:
            expect(row).to_contain_text(format_pct(phase.min_blasts_pct))


def test_phases_page_states_the_summarys_cut_points(page, base_url):
    """Literal figures from the summary: accelerated from 10 %, blastic from 20 % blasts."""
    page.goto(base_url + PREFIX + "phases/")
    expect(page.locator("tr", has_text="Accelerated phase")).to_contain_text("10% to below 20%")
    expect(page.locator("tr", has_text="Blastic phase")).to_contain_text("20% or more")


def test_abbreviations_explain_themselves(page, base_url):
    page.goto(base_url + PREFIX + "molecular-response/")
    abbr = page.locator("abbr", has_text="MMR").first
    expect(abbr).to_have_attribute("title", "major molecular response")


def test_every_page_credits_the_summary_and_says_it_is_not_medical_advice(content):
    from conftest import SITE

    for html in sorted(Path(SITE).rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        assert f'href="{content.source.url}"' in text, html
        assert f"updated {content.source.updated}" in text, html
        assert "not medical advice" in text, html
