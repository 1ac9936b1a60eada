"""What text in content/ and quizzes/ may hold: plain words, a threshold's placeholder, and the
Markdown of emphasis and links to http(s), mailto or this site's pages.

Templates escape HTML, so a "<script>" in YAML is shown as text. What HTML escaping leaves
alone is Markdown syntax that makes markup of its own: a link to javascript:, an image (a
request to another host), an attribute list ("{: onclick=…}") or a snippet include. Those are
refused when the file is read, at their file, line and key.

These checks are for the author: they name the problem where it is written. What makes a page
safe is the allow-list that every rendered page and export goes through (sanitise.py), and a
page template that writes every '{' of a text as '&#123;' (render.show_in_page). Every scan here
is linear in the text, and a text is bounded in length and in brackets before it is scanned:
Markdown's link parser takes time that grows faster than the square of unmatched '['."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

SAFE_SCHEMES = ("http", "https", "mailto")
MAX_TEXT = 5_000  # characters in one text; the longest in content/ is under 700
MAX_BRACKETS = 100  # '[' in one text; a link needs one

_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)>]*)")
# A reference definition ("[x]: url") may sit anywhere a line starts: in a list item, a quote,
# a footnote, a definition. The label holds no bracket, so each scan stops at the next one.
_REFERENCE_TARGET = re.compile(r"^[ \t>*+\-:\d.]*\[[^\[\]]*\]:\s*<?(\S*)", re.M)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL: "java\tscript:"
_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}|\{%[^{}]*%\}|\{#[^{}]*#\}")  # prose.py checks these
_ATTRIBUTE_LIST = re.compile(r"\{[^{}\n]*\}")


def problems(text: str) -> Iterator[str]:
    """Why text may not be shown as it stands; nothing when it may."""
    if len(text) > MAX_TEXT:
        yield f"a text holds at most {MAX_TEXT:,} characters, but this one has {len(text):,}"
        return
    if text.count("[") > MAX_BRACKETS:
        yield f"a text holds at most {MAX_BRACKETS} '[', but this one has {text.count('[')}"
        return
    for target in _INLINE_TARGET.findall(text) + _REFERENCE_TARGET.findall(text):
        target = html.unescape(target)  # "&#106;avascript:" is "javascript:" to a browser
        url = _INVISIBLE.sub("", target.split(" ", 1)[0] if target.strip() else target)
        scheme = _SCHEME.match(url)
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
            yield f"a link to '{scheme.group(1)}:' is not allowed; links go to http(s), mailto or this site's pages"
        elif url.startswith(("//", "\\\\", "/\\", "\\/")):
            yield "a link to '//host' is not allowed; write http(s):// in full, or a path on this site"
    if "![" in text:
        yield "images are not allowed in text (a figure is a block of its own)"
    if _ATTRIBUTE_LIST.search(_PLACEHOLDER.sub("", text)):
        yield "attribute lists ('{: …}', '{#id}', '{.class}', '{key=value}') are not allowed in text"
    if "--8<--" in text:
        yield "snippet includes ('--8<--') are not allowed in text"
