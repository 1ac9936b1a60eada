"""What text in content/ and quizzes/ may hold: plain words, a threshold's placeholder, and the
Markdown of emphasis and links to http(s), mailto or this site's pages.

Templates escape HTML, so a "<script>" in YAML is shown as text. What HTML escaping leaves
alone is Markdown syntax that makes markup of its own: a link to javascript:, an image (a
request to another host), an attribute list ("{: onclick=…}") or a snippet include. Those are
refused when the file is read, at their file, line and key."""

from __future__ import annotations

import re
from collections.abc import Iterator

SAFE_SCHEMES = ("http", "https", "mailto")

_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)>]*)")
_REFERENCE_TARGET = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*)", re.M)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL: "java\tscript:"
_ATTRIBUTE_LIST = re.compile(r"\{\s*:|\{\s*[#.][\w-]")


def problems(text: str) -> Iterator[str]:
    """Why text may not be shown as it stands; nothing when it may."""
    for target in _INLINE_TARGET.findall(text) + _REFERENCE_TARGET.findall(text):
        url = _INVISIBLE.sub("", target.split(" ", 1)[0] if target.strip() else target)
        scheme = _SCHEME.match(url)
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
            yield f"a link to '{scheme.group(1)}:' is not allowed; links go to http(s), mailto or this site's pages"
        elif url.startswith(("//", "\\\\", "/\\", "\\/")):
            yield "a link to '//host' is not allowed; write http(s):// in full, or a path on this site"
    if "![" in text:
        yield "images are not allowed in text (a figure is a block of its own)"
    if _ATTRIBUTE_LIST.search(text):
        yield "attribute lists ('{: …}', '{#id}', '{.class}') are not allowed in text"
    if "--8<--" in text:
        yield "snippet includes ('--8<--') are not allowed in text"
