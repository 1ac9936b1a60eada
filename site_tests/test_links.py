"""Every internal link and #anchor in the built site resolves."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from conftest import PREFIX, SITE


class PageIndex(HTMLParser):
    """Collects a page's ids and the URLs it links to (href and src)."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.ids.add(attributes[name])
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])


def index(path: Path) -> PageIndex:
    parser = PageIndex()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(url_path: str) -> Path | None:
    if not url_path.startswith(PREFIX):
        return None
    relative = unquote(url_path[len(PREFIX) :])
    candidate = SITE / relative
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links() -> list[str]:
    pages = {p: index(p) for p in SITE.rglob("*.html")}
    broken = []
    for source, parsed in sorted(pages.items()):
        page_url = PREFIX + source.relative_to(SITE).as_posix()
        for link in parsed.links:
            parts = urlsplit(urljoin("http://site" + page_url, link))
            if parts.scheme not in ("http", "https") or parts.netloc != "site":
                continue  # external (checked by the no-third-party-request gate), mailto:, data:
            target = target_file(parts.path)
            where = f"{source.relative_to(SITE)} -> {link}"
            if target is None:
                broken.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else index(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: no element with id '{parts.fragment}'")
    return broken


def test_every_internal_link_and_anchor_resolves():
    assert broken_links() == []


def test_the_checker_sees_a_broken_anchor(tmp_path, monkeypatch):
    """The gate above can fail: a page linking to a missing id is reported."""
    import conftest
    import test_links

    (tmp_path / "index.html").write_text('<a href="#nowhere">x</a><a href="other/">y</a>', encoding="utf-8")
    monkeypatch.setattr(test_links, "SITE", tmp_path)
    monkeypatch.setattr(conftest, "SITE", tmp_path)
    assert broken_links() == [
        "index.html -> #nowhere: no element with id 'nowhere'",
        "index.html -> other/: no such file",
    ]
