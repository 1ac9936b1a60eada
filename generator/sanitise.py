"""What HTML may reach a reader: an allow-list, applied to what was rendered, not to its source.

Text in content/ and quizzes/ becomes HTML through Markdown, and Markdown has more ways to
write a thing (attribute lists, reference definitions, entities, autolinks) than any list of
forbidden inputs can hold. So every page's content (the part the site's Markdown made) and
every export carrying HTML goes through nh3 (the ammonia sanitiser) with the tags, attributes
and URL schemes the site's own templates use, and nothing else: no event handler, no style,
no script, links only to http(s), mailto or this site. The whole page is then checked for
what the theme itself must never hold either, and a page that fails is not published.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import nh3

SCHEMES = frozenset({"http", "https", "mailto"})

_SVG = set("svg g rect circle ellipse line polyline polygon path text tspan title desc".split())
TAGS = frozenset(
    {
        # text and its Markdown (tables, lists, footnotes, abbreviations, admonitions, tabs, details)
        *"a abbr b blockquote br caption cite code col colgroup dd del dfn div dl dt em figcaption figure".split(),
        *"h1 h2 h3 h4 h5 h6 hr i ins kbd li mark ol p pre q s samp small span strong sub sup".split(),
        *"table tbody td tfoot th thead time tr u ul var wbr details summary section nav header footer".split(),
        # the quizzes, calculators, explorer and progress pages' own controls
        *"form fieldset legend label input select option optgroup button output textarea".split(),
        *_SVG,
    }
)
_GLOBAL = {"class", "id", "title", "role", "hidden", "tabindex", "lang", "dir"}
ATTRIBUTES = {
    "*": _GLOBAL,
    "a": {"href"},
    "abbr": {"title"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
    "form": {"novalidate", "name"},
    "fieldset": {"disabled", "name"},
    "label": {"for"},
    "input": {
        *"type name value checked disabled readonly required min max step inputmode".split(),
        *"placeholder autocomplete spellcheck accept size maxlength minlength".split(),
    },
    "select": {"name", "required", "disabled", "multiple"},
    "option": {"value", "selected", "disabled", "label"},
    "optgroup": {"label", "disabled"},
    "button": {"type", "name", "value", "disabled"},
    "output": {"for", "name"},
    "textarea": {"name", "rows", "cols", "readonly", "disabled", "placeholder", "spellcheck"},
    # SVG figures: geometry and classes only (a presentation attribute may hold url(), a request)
    "svg": {"viewBox", "xmlns", "width", "height", "preserveAspectRatio", "focusable"},
    "g": {"transform"},
    "rect": {"x", "y", "width", "height", "rx", "ry"},
    "circle": {"cx", "cy", "r"},
    "ellipse": {"cx", "cy", "rx", "ry"},
    "line": {"x1", "y1", "x2", "y2"},
    "polyline": {"points"},
    "polygon": {"points"},
    "path": {"d"},
    "text": {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline"},
    "tspan": {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline"},
}
PREFIXES = frozenset({"data-", "aria-"})


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """A link to '//host' or '\\\\host' is another host's, whatever its scheme looks like."""
    if name == "href" and _as_browser_reads(value).startswith("//"):
        return None
    return value


# Built once: building a cleaner from the allow-list costs twenty times what cleaning a
# fragment does, and a build cleans some 50,000 (every export's every field).
_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    generic_attribute_prefixes=set(PREFIXES),
    url_schemes=set(SCHEMES),
    link_rel=None,
    strip_comments=True,
    attribute_filter=_keep_attribute,
)


@functools.lru_cache(maxsize=1 << 15)
def clean(fragment: str) -> str:
    """An HTML fragment with everything not on the allow-list removed (text stays text).
    Remembered: each export cleans the same question's fields again (two cleanings in three
    of a build's 52,700 repeat one before)."""
    return _CLEANER.clean(fragment)


# --- a built page: its content is cleaned, then the whole page is checked ---------------------------

ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S)
# The data blocks our templates write for the scripts (JSON, with <, > and & escaped by tojson).
DATA_BLOCK = re.compile(r'<script type="application/json" id="[\w-]+">[^<]*</script>')


def clean_page(page: str) -> str:
    """The page with its content (the theme's <article>) cleaned; the rest is the theme's own."""
    match = ARTICLE.search(page)
    if not match:
        return page
    nonce = secrets.token_hex(12)  # text that no input can know, so cannot forge
    blocks: list[str] = []

    def park(block: re.Match) -> str:
        blocks.append(block.group(0))
        return f"data-block-{nonce}-{len(blocks) - 1}."

    inner = clean(DATA_BLOCK.sub(park, match.group(2)))
    for index, block in enumerate(blocks):
        inner = inner.replace(f"data-block-{nonce}-{index}.", block, 1)
    return page[: match.start(2)] + inner + page[match.end(2) :]


URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite", "srcset"})
LOADS = frozenset({"src", "srcset", "poster", "data"})  # attributes that make the browser fetch
FORBIDDEN_ELEMENTS = frozenset({"iframe", "frame", "object", "embed", "applet", "base", "style", "img", "image"})


class _Checker(HTMLParser):
    """Finds what no page may hold, from the theme or anywhere else."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        where = f"<{tag}> at line {self.getpos()[0]}"
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"a {where}")
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.found.append(f"an inline script {where}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() not in ("", "content-security-policy"):
            self.found.append(f"a meta http-equiv {where}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an event handler {name}= on {where}")
            elif name == "style":
                self.found.append(f"a style attribute on {where}")
            elif name in URL_ATTRIBUTES or (tag == "link" and name == "href"):
                fetched = name in LOADS or tag == "script" or (tag == "link" and _fetches(attributes))
                problem = url_problem(value or "", fetched=fetched)
                if problem:
                    self.found.append(f"{problem} in {name}= on {where}")


def _fetches(link: dict[str, str | None]) -> bool:
    """A <link> the browser loads (a stylesheet, an icon), not one that only names a page."""
    rels = set((link.get("rel") or "").lower().split())
    return not rels <= {"canonical", "alternate", "prev", "next", "author", "license", "help", "search"}


_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def _as_browser_reads(url: str) -> str:
    """A URL as the browser parses it: controls and spaces trimmed at both ends, tabs and line
    breaks removed anywhere ("java\tscript:" is "javascript:"), a backslash read as a slash."""
    return re.sub(r"[\t\n\r]", "", url.strip(_C0_AND_SPACE)).replace("\\", "/")


def url_problem(url: str, *, fetched: bool) -> str | None:
    """Why a URL may not be on a page: a scheme that runs or embeds, or (for what the browser
    fetches by itself) any other host."""
    bare = _as_browser_reads(url)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", bare)
    if scheme and scheme.group(1).lower() not in SCHEMES:
        return f"a {scheme.group(1).lower()}: URL"
    if fetched and (scheme or bare.startswith("//")):
        return "a request to another host"
    return None


def page_problems(page: str) -> list[str]:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker.found


def secure_site(site: Path) -> Iterator[str]:
    """Clean every page of a built site in place and its search index; yield what no page may hold
    (the build then fails: nothing is published)."""
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        cleaned = clean_page(page)
        for problem in page_problems(cleaned):
            yield f"{path.relative_to(site)}: {problem}"
        if cleaned != page:
            path.write_text(cleaned, encoding="utf-8")
    clean_search_index(site)


def clean_search_index(site: Path) -> None:
    """The search index's titles and texts through the allow-list (the search script shows them as HTML)."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    changed = False
    for doc in data.get("docs", []):
        for key in ("title", "text"):
            if isinstance(doc.get(key), str) and doc[key] and (safe := clean(doc[key])) != doc[key]:
                doc[key], changed = safe, True
    if changed:
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
