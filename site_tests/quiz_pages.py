"""What several browser tests do on a quiz page: open a version afresh, read its keys, answer."""

from __future__ import annotations

from conftest import PREFIX

# axe's tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best-practice rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
EVERY_AXE_RULE = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def open_quiz(page, base_url, path: str) -> None:
    """The quiz version at path, with nothing stored from an earlier test."""
    page.goto(base_url + PREFIX + path)
    page.evaluate("window.localStorage.clear()")
    page.reload()


def stored_key(name: str) -> str:
    """The browser-storage key of name on this site: under the site's own path (storage.js)."""
    return PREFIX + name


def key_of(page, number: int) -> str:
    return page.locator(f"#q{number}").get_attribute("data-key")


def wrong_letter(page, number: int) -> str:
    key = key_of(page, number)
    return next(v for v in page.locator(f"#q{number} input").evaluate_all("els => els.map(e => e.value)") if v != key)


def choose(page, number: int, letter: str) -> None:
    page.locator(f"label[for='q{number}-{letter.lower()}']").click()


def answer(page, number: int, *, right: bool) -> None:
    """Choose the key (or another option) for question number, and check it in practice mode."""
    choose(page, number, key_of(page, number) if right else wrong_letter(page, number))
    page.get_by_role("button", name=f"Check answer {number}", exact=True).click()
