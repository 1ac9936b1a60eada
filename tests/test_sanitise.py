"""What reaches a page or an export is what the allow-list lets through (generator/sanitise.py):
no event handler, no style, no script, no link to a scheme that runs or to another host; and
the site's own markup passes it whole."""

from __future__ import annotations

import collections
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build_site
from generator.sanitise import clean, clean_page, page_problems

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "dirty, safe",
    [
        ('<p onclick="alert(1)" style="color:red">x</p>', "<p>x</p>"),
        ('<em tabindex="0" autofocus onfocus="alert(document.domain)">x</em>', '<em tabindex="0">x</em>'),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="java\tscript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="data:text/html,x">x</a>', "<a>x</a>"),
        ('<a href="vbscript:x">x</a>', "<a>x</a>"),
        ('<a href="//evil.example/">x</a>', "<a>x</a>"),
        ('<a href="\\\\evil.example/">x</a>', "<a>x</a>"),
        ('<img src="https://tracker.example/p.png">', ""),
        ("<p>a<script>alert(1)</script>b<style>p{}</style></p>", "<p>ab</p>"),
        ('<iframe src="https://evil.example/"></iframe>', ""),
        ('<svg><rect fill="url(https://evil.example/x.svg#a)" x="1"></rect></svg>', '<svg><rect x="1"></rect></svg>'),
        (
            '<form action="https://evil.example/"><button formaction="https://e/">b</button></form>',
            "<form><button>b</button></form>",
        ),
    ],
)
def test_the_allow_list_removes_what_could_run_or_fetch(dirty, safe):
    assert clean(dirty) == safe


@pytest.mark.parametrize(
    "link", ["https://www.cancer.gov/", "http://example.org/", "mailto:a@b.org", "../phases/#x", "#ref-1", "/x/"]
)
def test_links_to_the_web_mail_and_this_site_stay(link):
    assert clean(f'<a href="{link}" title="t">x</a>') == f'<a href="{link}" title="t">x</a>'


PAGE = (
    '<html><head><script src="assets/head.js"></script></head><body>'
    '<article class="md-content__inner md-typeset">{}</article>'
    '<script src="assets/quiz.js"></script></body></html>'
)


def test_a_page_s_content_is_cleaned_and_its_data_blocks_kept():
    data = '<script type="application/json" id="calculator-data">{"a": "\\u003cb\\u003e"}</script>'
    page = PAGE.format(f'<p onmouseover="x()">hi <a href="javascript:x">there</a></p>{data}')
    assert clean_page(page) == PAGE.format(f"<p>hi <a>there</a></p>{data}")


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<script>alert(1)</script>", "an inline script <script>"),
        ('<body onload="x()">', "an event handler onload="),
        ('<div style="background:url(https://e/)">', "a style attribute on <div>"),
        ('<script src="https://cdn.example/x.js"></script>', "a request to another host in src="),
        ('<link rel="stylesheet" href="//fonts.example/css">', "a request to another host in href="),
        ('<a href="javascript:x">', "a javascript: URL in href="),
        ('<meta http-equiv="refresh" content="0;url=https://e/">', "a meta http-equiv <meta>"),
        ("<iframe></iframe>", "a <iframe>"),
    ],
)
def test_a_whole_page_is_checked_for_what_no_page_may_hold(html, problem):
    found = page_problems(html)
    assert len(found) == 1 and found[0].startswith(problem), found


def test_links_that_only_name_a_page_are_not_requests():
    assert page_problems('<link rel="canonical" href="https://example.github.io/cml-teach/">') == []


class Markup(HTMLParser):
    """Every element and attribute (with its value) of a fragment, counted."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: collections.Counter = collections.Counter()

    def handle_starttag(self, tag, attrs):
        self.found[tag] += 1
        for name, value in attrs:
            self.found[(tag, name, value or "")] += 1


def markup(html: str) -> collections.Counter:
    parser = Markup()
    parser.feed(html)
    return parser.found


def test_the_site_s_own_markup_passes_the_allow_list_whole(tmp_path):
    """Every element and attribute the templates and Markdown make, on every page, is allowed: a
    template that needs a new one fails here, not silently in the browser."""
    from test_hostile_text import markdown_renderer

    from generator.build import load_inputs
    from generator.pages import render_site

    files = render_site(*load_inputs(ROOT / "content", ROOT / "quizzes"))
    (tmp_path / "abbreviations.md").write_text(files["snippets/abbreviations.md"], encoding="utf-8")
    renderer = markdown_renderer(tmp_path)
    checked = 0
    for path, page in sorted(files.items()):
        if not (path.startswith("docs/") and path.endswith(".md")) or "/variant-" in path:
            continue
        html = PAGE.format(renderer.reset().convert(page.split("---\n", 2)[2]))
        lost = markup(html) - markup(clean_page(html))
        assert not lost, (path, sorted(lost, key=str)[:5])
        checked += 1
    assert checked > 40


def test_a_build_publishes_neither_the_unused_theme_bundle_nor_source_maps(scratch, tmp_path):
    builder = (
        sys.executable,
        "-c",
        "import sys, pathlib; site = pathlib.Path(sys.argv[1]); js = site / 'assets' / 'javascripts';"
        " js.mkdir(parents=True); (js / 'bundle.abc.min.js').write_text('x'); (js / 'bundle.abc.min.js.map')"
        ".write_text('x'); (site / 'assets' / 'site.css.map').write_text('x'); (js / 'workers').mkdir();"
        " (js / 'workers' / 'search.1.min.js').write_text('w'); (site / 'index.html').write_text('ok')",
    )
    site = tmp_path / "site"
    build_site(scratch.root, tmp_path / "build", site, builder=builder)
    published = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert published == [".built-by-cml-generator", "assets/javascripts/workers/search.1.min.js", "index.html"]


def test_a_build_whose_pages_hold_a_script_is_refused_and_the_old_site_kept(scratch, tmp_path):
    from generator.errors import BuildError

    builder = (
        sys.executable,
        "-c",
        "import sys, pathlib; pathlib.Path(sys.argv[1], 'index.html').write_text('<p onclick=alert(1)>x</p>')",
    )
    site = tmp_path / "site"
    unsafe = r"unsafe HTML in the built site: index\.html: an event handler onclick="
    with pytest.raises(BuildError, match=unsafe) as raised:
        build_site(scratch.root, tmp_path / "build", site, builder=builder)
    assert str(raised.value).endswith(f"; '{site}' was left as it was")  # the site's path quoted, as given
    assert not site.exists()


def test_the_dev_server_s_pages_go_through_the_allow_list_too(tmp_path):
    """Under `make serve` the policy lets the livereload script run inline, so a handler would run
    too: the dev server builds from serve.yml, whose hook cleans each page as a build does."""
    import json
    import subprocess

    import yaml

    from generator.builders import site_config
    from generator.serve import serve_config

    out, site = tmp_path / "build", tmp_path / "served"
    page = (
        "---\ntitle: Hostile\n---\n\n# Hostile\n\n"
        '<b onclick="alert(1)" style="color:red">bold</b> and *x*{tabindex=0 autofocus onfocus=alert(2)}\n\n'
        "[go](javascript:alert(3)) <iframe src='https://evil.example/'></iframe>\n"
    )
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "index.md").write_text(page, encoding="utf-8")
    (out / "snippets").mkdir()
    (out / "snippets" / "abbreviations.md").write_text("", encoding="utf-8")
    config = serve_config(site_config(ROOT / "mkdocs.yml"), {"docs/index.md": page}, out, ROOT)
    config["nav"] = ["index.md"]
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            extension["pymdownx.snippets"]["base_path"] = [str(out / "snippets")]
    (out / "serve.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "--no-strict", "-f", str(out / "serve.yml")]
    subprocess.run([*command, "--site-dir", str(site)], cwd=ROOT, check=True, capture_output=True, timeout=300)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "script-src 'self' 'unsafe-inline'" in html  # the dev server's looser policy
    assert "<b>bold</b>" in html
    assert page_problems(html) == []
    assert "javascript:" not in html and "evil.example" not in html
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any("onclick" in doc["text"] or "onfocus" in doc["text"] for doc in index["docs"])
