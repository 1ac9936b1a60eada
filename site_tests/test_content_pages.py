"""The summary's pages as a student uses them: the studies explorer, figures, sections."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import PREFIX, ROOT, SITE
from playwright.sync_api import expect

from generator.content import load_content
from generator.pages import SETTING_NAMES
from generator.svg import FIGURES


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


LAYOUT_SHIFTS = """
window.__shift = 0;
new PerformanceObserver(list => list.getEntries().forEach(entry => {
  if (!entry.hadRecentInput) window.__shift += entry.value;
})).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    "path, ready",
    [
        ("studies/", ".study-explorer table[data-enhanced]"),
        ("quizzes/mixed-exam/", ".quiz[data-ready]"),
        ("scores/", ".calculator"),
        ("progress/", ".learner-summary:not(:empty)"),
    ],
)
def test_a_page_does_not_move_when_its_script_starts(browser, base_url, width, path, ready):
    """What scripts add (the explorer's filters, a quiz's mode and buttons, the calculators, the
    progress tables) is drawn from the first frame, so the page does not shift under the reader
    (Lighthouse's cumulative layout shift)."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(base_url + PREFIX + path, wait_until="load")
    expect(page.locator(ready).first).to_be_attached()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") < 0.01
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_explorer_does_not_move_on_a_slow_cpu(browser, base_url, width):
    """On a CPU slowed sixfold the browser draws the page in several passes; nothing it drew
    moves (at 1280 px the table once shifted as longer rows widened its columns, and a hint
    that it scrolls came in above it when the script ran)."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(base_url + PREFIX + "studies/", wait_until="load")
    expect(page.locator(".study-explorer table[data-enhanced]")).to_be_attached()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") < 0.001
    context.close()


# Each cell and row of the explorer's table as drawn (hidden ones left out): a rectangle in page
# coordinates, in document order.
TABLE_BOXES = """() => [...document.querySelectorAll('.study-explorer th, .study-explorer tr')]
  .filter(e => getComputedStyle(e).visibility === 'visible' && e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect();
    return [e.tagName, Math.round(r.x), Math.round(r.y + scrollY), Math.round(r.width), Math.round(r.height)]; })"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    "cut",
    [("</th>", 3), ("</th>", 6), ("</tr>", 2), ("</tr>", 4), ("</tr>", 12)],
    ids=["3 headers", "6 headers", "1 row", "3 rows", "11 rows"],
)
def test_what_a_half_arrived_explorer_table_drew_stays_where_it_was(browser, base_url, width, cut):
    """A browser draws a long page before all of it has arrived. Whatever it drew of the table
    from the first part of the page (cut after the nth header or row) is where the whole page,
    its scripts run, draws it: no column widens and no row moves as the rest comes in."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    url = base_url + PREFIX + "studies/"
    html = (SITE / "studies" / "index.html").read_text(encoding="utf-8")
    marker, count = cut
    at = -1
    for _ in range(count):
        at = html.index(marker, at + 1)
    page.route(url, lambda route: route.fulfill(body=html[: at + len(marker)], content_type="text/html"))
    page.goto(url)
    drawn = page.evaluate(TABLE_BOXES)
    page.unroute(url)
    page.goto(url)
    expect(page.locator(".study-explorer table[data-enhanced]")).to_be_attached()
    whole = page.evaluate(TABLE_BOXES)
    assert drawn == whole[: len(drawn)]
    context.close()


def test_the_explorer_fits_a_desktop_and_scrolls_on_a_phone_by_keyboard_too(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 844})
    page = context.new_page()
    page.goto(base_url + PREFIX + "studies/")
    scroller = page.get_by_role("region", name="Studies")
    expect(page.locator(".study-explorer table[data-enhanced]")).to_be_attached()
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")
    expect(page.locator(".explorer-hint")).to_be_hidden()
    expect(scroller).not_to_have_attribute("tabindex", "0")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".explorer-hint")).to_have_text("Scroll the table sideways to see every column.")
    expect(page.locator(".study-explorer .table-scroll-hint")).to_have_count(1)
    expect(scroller).to_have_attribute("tabindex", "0")
    scroller.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.explorer-table').scrollLeft > 0")
    context.close()


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


SVG = "{http://www.w3.org/2000/svg}"
FIGURE_PAGES = sorted(
    (page.parent.relative_to(SITE).as_posix() + "/", figure)
    for page in SITE.rglob("index.html")
    for figure in re.findall(r'<svg class="figure figure-([\w-]+)"', page.read_text(encoding="utf-8"))
)


def content_labels(content, figure: str) -> list[str]:
    """Words of content/ that a figure must draw, each inside one of its text nodes."""
    return {
        "blast-scale": [p.name for p in content.phases.phases],
        "response-ladder": ["EMR"] + [r.id for r in content.responses.molecular_responses],
        "options-map": [
            content.therapies[t].name for s in content.options.settings for o in s.options for t in o.therapies
        ],
    }.get(figure, [])


def test_every_figure_is_checked():
    assert {figure for _, figure in FIGURE_PAGES} == set(FIGURES)


@pytest.mark.parametrize("path, figure", FIGURE_PAGES)
def test_figures_draw_every_word_of_their_labels(page, base_url, content, path, figure):
    """What the browser draws in each SVG <text> is the label the generator wrote, whole: no
    element inside (HTML such as <abbr> is not drawn in SVG), no word lost on the way."""
    page.goto(base_url + PREFIX + path)
    drawn = page.locator(f"svg.figure-{figure} text").evaluate_all(
        "nodes => nodes.map(n => [n.textContent, n.childElementCount])"
    )
    assert [count for _, count in drawn] == [0] * len(drawn), "a text node holds an element"
    written = ET.fromstring(str(FIGURES[figure](content)))
    assert [text for text, _ in drawn] == ["".join(t.itertext()) for t in written.iter(f"{SVG}text")]
    for label in content_labels(content, figure):
        assert any(label in text for text, _ in drawn), label


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
