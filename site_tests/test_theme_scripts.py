"""The theme's behaviour, done by assets/theme.js and assets/search.js instead of Material's bundle.

Each test is something a reader does: search from the keyboard, follow a search link, see where
they are in a long page, reach a long table of contents, switch colours, print."""

from __future__ import annotations

import re

from conftest import PREFIX
from playwright.sync_api import expect


def test_no_page_loads_materials_application_bundle(page, base_url):
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.goto(base_url + PREFIX + "quizzes/mixed-exam/")
    assert scripts, "the page loads its own scripts"
    assert not [url for url in scripts if "/bundle." in url]


def test_search_from_the_keyboard_alone(page, base_url):
    page.goto(base_url + PREFIX + "glossary/")
    page.keyboard.press("/")
    field = page.locator("input.md-search__input")
    expect(field).to_be_focused()
    page.keyboard.type("ponatinib")
    first = page.locator(".md-search-result__link").first
    expect(first).to_be_visible(timeout=10_000)
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"matching document"))
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    expect(first).to_have_class(re.compile("focus-visible"))
    href = first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(href)
    expect(page.locator(".md-content")).to_contain_text("onatinib")


def test_escape_closes_search(page, base_url):
    page.goto(base_url + PREFIX)
    page.keyboard.press("s")
    expect(page.locator("#__search")).to_be_checked()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    expect(page.locator("input.md-search__input")).not_to_be_focused()


def test_a_search_link_opens_with_its_query(page, base_url):
    page.goto(base_url + PREFIX + "?q=dasatinib")
    expect(page.locator("input.md-search__input")).to_have_value("dasatinib")
    expect(page.locator(".md-search-result__item").first).to_contain_text("asatinib", timeout=10_000)


def test_shortcut_keys_leave_quiz_answers_alone(page, base_url):
    page.goto(base_url + PREFIX + "quizzes/mixed-exam/")
    page.locator("#q1 input").first.focus()
    page.keyboard.press("s")
    expect(page.locator("#__search")).not_to_be_checked()


def test_table_of_contents_marks_the_section_being_read(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base_url + PREFIX + "sections/chronic/")
    toc = page.locator(".md-sidebar--secondary")
    link = toc.locator("a.md-nav__link", has_text="Response milestones")
    link.click()
    expect(link).to_have_class(re.compile("md-nav__link--active"))
    expect(toc.locator(".md-nav__link--active")).to_have_count(1)
    page.mouse.wheel(0, -1200)
    expect(link).not_to_have_class(re.compile("md-nav__link--active"))


def test_a_long_table_of_contents_scrolls_inside_its_sidebar(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(base_url + PREFIX + "educators/")
    wrap = page.locator(".md-sidebar--secondary .md-sidebar__scrollwrap")
    assert wrap.evaluate("w => w.scrollHeight > w.clientHeight"), "the sidebar is shorter than its contents"
    last = page.locator(".md-nav--secondary a.md-nav__link").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    assert wrap.evaluate("w => w.scrollTop") > 0


def test_colours_follow_the_system_until_the_reader_chooses(page, base_url):
    page.emulate_media(color_scheme="dark")
    page.goto(base_url + PREFIX)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.locator("label[title='Switch to light mode']")).to_be_visible()
    expect(page.locator("label[title='Switch to dark mode']")).to_be_hidden()


def test_content_tabs_underline_the_chosen_tab(page, base_url):
    """The line under the tabs (the theme's ::before) lies under the chosen tab, and follows it."""
    page.goto(base_url + PREFIX + "educators/")
    labels = page.locator(".tabbed-set .tabbed-labels").first
    underline = """l => { const line = getComputedStyle(l, "::before");
        const x = new DOMMatrix(line.transform).m41, width = parseFloat(line.width);
        const chosen = [...l.children].find(c => document.getElementById(c.htmlFor).checked);
        return Math.abs(x - chosen.offsetLeft) < 1 && Math.abs(width - chosen.offsetWidth) < 1 && width > 0; }"""
    page.wait_for_function(f"() => ({underline})(document.querySelector('.tabbed-set .tabbed-labels'))")
    labels.locator("label").nth(1).click()
    expect(page.locator(".tabbed-set").first.locator(":scope > input").nth(1)).to_be_checked()
    page.wait_for_function(f"() => ({underline})(document.querySelector('.tabbed-set .tabbed-labels'))")
    assert labels.evaluate("l => new DOMMatrix(getComputedStyle(l, '::before').transform).m41") > 0


def test_collapsed_blocks_open_for_printing_and_close_after(page, base_url):
    page.goto(base_url + PREFIX + "quizzes/mixed-exam/")
    closed = page.locator(".md-typeset details:not([open])")
    count = closed.count()
    assert count > 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(closed).to_have_count(0)
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(closed).to_have_count(count)


def test_on_a_phone_the_search_button_opens_search_with_the_field_focused(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url + PREFIX + "phases/")
    page.locator("label.md-header__button[for='__search']").tap()
    field = page.locator("input.md-search__input")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    page.keyboard.type("blast crisis")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    context.close()


def test_system_colours_apply_before_the_page_is_drawn(page, base_url):
    """An inline script after the header applies them; theme.js, at the end, is not needed for it."""
    page.emulate_media(color_scheme="dark")
    page.route("**/assets/theme.js", lambda route: route.abort())
    page.goto(base_url + PREFIX + "phases/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_a_short_page_fits_the_window(page, base_url):
    """The sidebars' own scrolling must not make a short page taller than the window: a sidebar
    keeps its own height (the navigation, about 800 px) rather than the window's."""
    page.set_viewport_size({"width": 1400, "height": 1200})
    page.goto(base_url + PREFIX + "key-references/")
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")


def test_the_marked_entry_stays_in_sight_in_a_long_table_of_contents(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(base_url + PREFIX + "educators/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    active = page.locator(".md-sidebar--secondary .md-nav__link--active")
    expect(active).to_have_count(1)
    wrap = page.locator(".md-sidebar--secondary .md-sidebar__scrollwrap")
    last = page.locator(".md-sidebar--secondary .md-nav__link").last  # where the page ends
    expect(active).to_have_text(last.inner_text())
    inside = "([w, a]) => { const v = w.getBoundingClientRect(), b = a.getBoundingClientRect(); "
    inside += "return b.top >= v.top && b.bottom <= v.bottom; }"
    page.wait_for_function(inside, arg=[wrap.element_handle(), active.element_handle()])


def test_content_tabs_work_from_the_keyboard(page, base_url):
    page.goto(base_url + PREFIX + "educators/")
    tabs = page.locator(".tabbed-set").first
    first, second = tabs.locator(":scope > input").nth(0), tabs.locator(":scope > input").nth(1)
    first.focus()
    expect(first).to_have_class(re.compile("focus-visible"))
    page.keyboard.press("ArrowRight")
    expect(second).to_be_checked()
    expect(tabs.locator(".tabbed-content > .tabbed-block").nth(1)).to_be_visible()
    expect(tabs.locator(".tabbed-content > .tabbed-block").nth(0)).to_be_hidden()


def test_back_to_top_shows_while_scrolling_up_and_takes_the_reader_there(page, base_url):
    """The theme fades the button out (opacity) while it has the hidden attribute."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base_url + PREFIX + "sections/chronic/")
    button = page.locator(".md-top")
    expect(button).to_have_attribute("hidden", "")
    expect(button).to_have_attribute("tabindex", "-1")  # out of the tab order while faded out
    page.mouse.wheel(0, 3000)
    page.wait_for_function("() => window.scrollY > 2000")
    expect(button).to_have_attribute("hidden", "")
    page.mouse.wheel(0, -400)
    expect(button).not_to_have_attribute("hidden", "")
    expect(button).not_to_have_attribute("tabindex", "-1")
    button.click()
    page.wait_for_function("() => window.scrollY === 0")
    expect(button).to_have_attribute("hidden", "")
