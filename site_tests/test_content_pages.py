"""The summary's pages as a student uses them: the studies explorer, figures, sections."""

from __future__ import annotations

import pytest
from conftest import PREFIX, ROOT
from playwright.sync_api import expect

from generator.content import load_content
from generator.pages import SETTING_NAMES


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "content")


def test_explorer_filters_studies_by_phase(page, base_url, content):
    page.goto(base_url + PREFIX + "studies/")
    page.get_by_role("combobox", name="Phase").select_option("Relapsed")
    expected = sum("relapsed" in s.settings for s in content.studies.values())
    expect(page.locator(".study-explorer tbody tr:visible")).to_have_count(expected)
    expect(page.locator(".explorer-count")).to_have_text(f"{expected} of {len(content.studies)} studies shown")


def test_explorer_filters_by_level_of_evidence_from_the_keyboard(page, base_url, content):
    page.goto(base_url + PREFIX + "studies/")
    level = page.get_by_role("combobox", name="Level")
    level.focus()
    page.keyboard.press("ArrowDown")  # the first code after "All"
    first_code = sorted({s.level for s in content.studies.values() if s.level})[0]
    expect(level).to_have_value(first_code)
    expected = sum(s.level == first_code for s in content.studies.values())
    expect(page.locator(".study-explorer tbody tr:visible")).to_have_count(expected)


def test_explorer_sorts_by_number_of_patients(page, base_url, content):
    page.goto(base_url + PREFIX + "studies/")
    page.get_by_role("button", name="Sort by Patients").click()
    header = page.locator("th", has=page.get_by_role("button", name="Sort by Patients"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    smallest = min(s.n for s in content.studies.values() if s.n)
    expect(page.locator(".study-explorer tbody tr").first.locator("td").nth(4)).to_have_text(str(smallest))
    page.get_by_role("button", name="Sort by Patients").press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")
    largest = max(s.n for s in content.studies.values() if s.n)
    expect(page.locator(".study-explorer tbody tr").first.locator("td").nth(4)).to_have_text(str(largest))


def test_explorer_rows_lead_to_the_study_in_its_section(page, base_url, content):
    study = content.studies["nilotinib-vs-imatinib"]
    page.goto(base_url + PREFIX + "studies/")
    page.get_by_role("link", name=study.title).click()
    expect(page).to_have_url(base_url + PREFIX + f"sections/{study.section}/#study-{study.id}")
    expect(page.locator(f"#study-{study.id}")).to_contain_text(str(study.n))


def test_without_javascript_the_explorer_lists_every_study(browser, base_url, content):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PREFIX + "studies/")
    expect(page.locator(".study-explorer tbody tr")).to_have_count(len(content.studies))
    context.close()


@pytest.mark.parametrize(
    "path, figure",
    [
        ("phases/", "blast-scale"),
        ("molecular-response/", "response-ladder"),
        ("sections/chronic/", "first-line-mmr"),
        ("sections/overview/", "options-map"),
    ],
)
def test_figures_have_an_accessible_name_and_description(page, base_url, path, figure):
    page.goto(base_url + PREFIX + path)
    svg = page.locator(f"svg.figure-{figure}")
    expect(svg).to_have_attribute("role", "img")
    expect(page.locator(f"#{figure}-title")).not_to_be_empty()
    expect(page.locator(f"#{figure}-desc")).not_to_be_empty()


def test_options_map_names_every_setting(page, base_url, content):
    page.goto(base_url + PREFIX + "sections/overview/")
    desc = page.locator("#options-map-desc")
    for entry in content.options.settings:
        expect(desc).to_contain_text(entry.name)
    assert set(SETTING_NAMES) == {entry.setting for entry in content.options.settings}


def test_pages_print_without_navigation(page, base_url):
    page.goto(base_url + PREFIX + "sections/chronic/")
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("#study-asciminib-first-line")).to_be_visible()
