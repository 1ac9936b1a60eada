"""The screens a reader looks at, compared with pictures kept in the repository: a change that
breaks the look (a colour, a layout, a lost figure) fails here even when every element is still
in the DOM. Home, a section, the phases page, a quiz before and after answering, and the studies
explorer; light and dark; a 1280 px desktop and a 390 px phone.

The pictures are Debian's Chromium drawing with the system's fonts, animations off. After a change
that is meant to alter the look, look at the new pictures and keep them: `make screens`."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import PREFIX
from PIL import Image, ImageChops
from quiz_pages import answer

SCREENS_DIR = Path(__file__).parent / "screens"
UPDATE = os.environ.get("UPDATE_SCREENS") == "1"
# A pixel counts as changed when a colour channel moves by more than this (anti-aliasing moves less)...
CHANNEL_TOLERANCE = 48
# ...and a screen has drifted when more than this share of its pixels changed.
MAX_CHANGED_SHARE = 0.004

QUIZ = "quizzes/phases-and-monitoring/"
SCREENS = {
    "home": "",
    "section": "sections/chronic/",
    "phases": "phases/",
    "quiz": QUIZ,
    "quiz-answered": QUIZ,
    "explorer": "studies/",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

pytestmark = pytest.mark.skipif(
    os.environ.get("GITHUB_ACTIONS") == "true",
    reason="the pictures are drawn by Debian's Chromium and fonts; Playwright's build on GitHub draws text differently",
)


def answer_first_question(page) -> None:
    answer(page, 1, right=True)
    page.locator("#q1").evaluate("node => node.scrollIntoView({block: 'start'})")


def changed_share(expected: Image.Image, actual: Image.Image) -> float:
    if expected.size != actual.size:
        return 1.0
    difference = ImageChops.difference(expected.convert("RGB"), actual.convert("RGB")).convert("L")
    changed = sum(difference.point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0).histogram()[255:])
    return changed / (actual.width * actual.height)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", SCREENS)
def test_the_screen_looks_as_it_did(browser, base_url, screen, scheme, viewport, tmp_path):
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(base_url + PREFIX + SCREENS[screen], wait_until="load")
        if screen == "quiz-answered":
            answer_first_question(page)
        page.evaluate("document.fonts.ready")
        shot = page.screenshot(animations="disabled", caret="hide")
    finally:
        context.close()
    name = f"{screen}-{scheme}-{viewport}.png"
    baseline = SCREENS_DIR / name
    if UPDATE:
        SCREENS_DIR.mkdir(exist_ok=True)
        Image.open(io.BytesIO(shot)).save(baseline, optimize=True)
        return
    assert baseline.is_file(), f"no picture of {name}: run `make screens`, look at it, and commit it"
    actual = Image.open(io.BytesIO(shot))
    share = changed_share(Image.open(baseline), actual)
    if share > MAX_CHANGED_SHARE:
        actual.save(tmp_path / name)
        raise AssertionError(
            f"{name}: {share:.2%} of the screen changed (at most {MAX_CHANGED_SHARE:.1%}); "
            f"now: {tmp_path / name}, before: {baseline}"
        )
