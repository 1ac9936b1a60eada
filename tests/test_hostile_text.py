"""Whatever text content/ and quizzes/ hold comes out as text: in pages, titles, navigation and
the search index. Markup in a text field is shown, never run; Markdown that would make a link
to a script, an image from another host or an attribute is refused at load, with its line."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import types
import typing
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.build import build_site, load_inputs
from generator.builders import site_config
from generator.cli import main
from generator.content import FILES, SECTIONS_DIR
from generator.errors import ContentError
from generator.models import RefTo, Section
from generator.pages import render_site
from generator.quiz.blueprint import Blueprint

ROOT = Path(__file__).resolve().parent.parent

# --- where text goes in: every free-text field of content/ and of a blueprint ---------------------


def _unwrap(annotation) -> tuple[object, list]:
    """The type under Annotated[...] and Optional[...], with the metadata gathered on the way."""
    metadata: list = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata += list(annotation.__metadata__)
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
        else:
            return annotation, metadata


def _fits(annotation, value) -> bool:
    base, _ = _unwrap(annotation)
    origin = typing.get_origin(base) or base
    if isinstance(value, str):
        return base is str
    if isinstance(value, list):
        return origin is list
    if isinstance(value, dict):
        return origin is dict or (isinstance(base, type) and issubclass(base, BaseModel))
    return False


def text_fields(annotation, value, loc: tuple = (), metadata: tuple = ()):
    """Paths of the strings in value that the schema takes as free text: not an id, a reference
    to one, a pattern-checked code, URL or date, or a choice from a fixed list."""
    base, more = _unwrap(annotation)
    constraints = [*metadata, *more]
    origin = typing.get_origin(base)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(base):
            if _fits(option, value):
                yield from text_fields(option, value, loc, tuple(constraints))
                return
    elif isinstance(base, type) and issubclass(base, BaseModel) and isinstance(value, dict):
        for name, field in base.model_fields.items():
            if name in value:
                yield from text_fields(field.annotation, value[name], loc + (name,), tuple(field.metadata))
    elif origin is list and isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_fields(typing.get_args(base)[0], item, loc + (index,))
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from text_fields(typing.get_args(base)[1], item, loc + (key,))
    elif base is str and isinstance(value, str) and loc[-1] != "id":
        flat = [m for c in constraints for m in (c, *getattr(c, "metadata", ()))]
        if not any(isinstance(m, RefTo) or getattr(m, "pattern", None) for m in flat):
            yield loc


def _append(data, loc: tuple, text: str) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] += text


def hostile_copy(folder: Path, text: str, *, variants: int = 1) -> tuple[Path, Path, int]:
    """content/ and one blueprint per shipped quiz, text appended to every free-text field."""
    content, quizzes = folder / "content", folder / "quizzes"
    shutil.copytree(ROOT / "content", content)
    quizzes.mkdir()
    files = [(content / name, model) for name, model in FILES.items()]
    files += [(path, Section) for path in sorted((content / SECTIONS_DIR).glob("*.yml"))]
    files += [(quizzes / p.name, Blueprint) for p in sorted((ROOT / "quizzes").glob("*.yml"))]
    count = 0
    for path, model in files:
        source = path if path.exists() else ROOT / "quizzes" / path.name
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        if model is Blueprint:
            data["variants"] = variants
        for loc in text_fields(model, data):
            one_line = loc[-1] == "expansion"  # a glossary expansion is one line (a rule of its own)
            _append(data, loc, " ".join(text.split()) if one_line else text)
            count += 1
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content, quizzes, count


# --- what comes out: markup that the text made -----------------------------------------------------

MARKER = "xss"  # the payloads' own element and attribute names start with it
# Elements the site itself never has (its scripts are checked by what they run: "alert(").
FOREIGN_ELEMENTS = {"img", "iframe", "object", "embed", "base", "frame", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class MarkupFinder(HTMLParser):
    """Collects elements and attributes that a text field could only have made as markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.running = False  # inside a script the browser runs (not a JSON data block)

    def handle_starttag(self, tag, attrs):
        self.running = tag == "script" and dict(attrs).get("type", "text/javascript") != "application/json"
        if tag.startswith(MARKER) or tag in FOREIGN_ELEMENTS:
            self.found.append(f"<{tag}> at {self.getpos()}")
        for name, value in attrs:
            if name.startswith((MARKER, "on")):
                self.found.append(f"{name}= on <{tag}> at {self.getpos()}")
            # as the browser reads it: controls and spaces trimmed, tabs and line breaks dropped
            url = re.sub(r"[\t\n\r]", "", (value or "").strip("".join(map(chr, range(0x21))))).lower()
            if name in URL_ATTRIBUTES and url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{name}={value!r} on <{tag}> at {self.getpos()}")

    def handle_data(self, data):
        if "alert(" in data and self.running:
            self.found.append(f"a script running {data[:40]!r} at {self.getpos()}")


def made_markup(html: str) -> list[str]:
    finder = MarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.found


PAYLOAD = (
    ' <xss-tag xss-attr="1">"\'& <script>alert(1)</script><img src=x onerror=alert(2)>'
    " </p></div><svg onload=alert(3)> *em* `code` [fine](https://www.cancer.gov/)"
)


# --- the whole site, built by MkDocs with the real theme ------------------------------------------------


def mkdocs_config(folder: Path) -> Path:
    """mkdocs.yml, reading the generated pages from folder/build and the theme from this repo."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: build/docs", f"docs_dir: {folder / 'build' / 'docs'}")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = config.replace("base_path: [build/snippets]", f"base_path: [{folder / 'build' / 'snippets'}]")
    path = folder / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    return path


def test_text_in_every_field_stays_text_on_every_page_title_nav_and_search(tmp_path):
    content, quizzes, count = hostile_copy(tmp_path, PAYLOAD, variants=2)
    assert count > 1000  # every free-text field of content/ and the blueprints
    builder = (sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(mkdocs_config(tmp_path)), "--site-dir")
    site = tmp_path / "site"
    build_site(content, tmp_path / "build", site, builder=builder, quizzes_dir=quizzes)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert made_markup(html) == [], page.relative_to(site)
    titles = [page.read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0] for page in pages]
    assert any('&lt;xss-tag xss-attr="1"&gt;' in t or "&lt;xss-tag xss-attr=&#34;1&#34;&gt;" in t for t in titles)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:  # the search script shows both as HTML
        assert made_markup(doc["title"]) == [] and made_markup(doc["text"]) == [], doc["location"]


# --- links, images, attribute lists and includes are refused where they are written ----------------------


@pytest.mark.parametrize(
    "markdown_text, message",
    [
        ("[see](javascript:alert(1))", "a link to 'javascript:' is not allowed"),
        ("[see](JaVaScRiPt:alert(1))", "a link to 'JaVaScRiPt:' is not allowed"),
        ("[see](java\tscript:alert(1))", "a link to 'javascript:' is not allowed"),
        ("[see](data:text/html,x)", "a link to 'data:' is not allowed"),
        ("[see](//evil.example/)", "a link to '//host' is not allowed"),
        ("\n[see]: javascript:alert(1)", "a link to 'javascript:' is not allowed"),
        ("![pixel](https://tracker.example/p.png)", "images are not allowed in text"),
        ("{: onclick=alert(1) }", "attribute lists ('{: …}', '{#id}', '{.class}', '{key=value}') are not allowed"),
        ("*x*{tabindex=0 autofocus onfocus=alert(document.domain)}", "attribute lists ("),
        ("[x]{href=javascript:alert(1)}", "attribute lists ("),
        ("*x*{style=background:url(https://evil.example/)}", "attribute lists ("),
        ("[see](&#106;avascript:alert(1))", "a link to 'javascript:' is not allowed"),
        ("[see](&#x6A;avascript:alert(1))", "a link to 'javascript:' is not allowed"),
        ("\n- item\n\n    [r]: javascript:alert(1)\n\n    [go][r]", "a link to 'javascript:' is not allowed"),
        ("\n> [r]: data:text/html,x", "a link to 'data:' is not allowed"),
        ("\nTerm\n:   [r]: vbscript:x", "a link to 'vbscript:' is not allowed"),
        ("[^n]\n\n[^n]: see [r]\n    [r]: javascript:x", "a link to 'javascript:' is not allowed"),
        ('--8<-- "abbreviations.md"', "snippet includes ('--8<--') are not allowed"),
    ],
)
def test_unsafe_markdown_is_refused_with_file_line_and_key(scratch, capsys, markdown_text, message):
    path = scratch.root / "updates.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["changes"][1]["text"] += " " + markdown_text
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code = main(["--content", str(scratch.root), "check"])
    errors = [e for e in capsys.readouterr().err.splitlines() if e.startswith("error: ")]
    assert code == 1 and len(errors) == 1
    assert re.match(r"error: content/updates\.yml:\d+ changes\[1\]\.text: ", errors[0]), errors[0]
    assert message in errors[0]


@pytest.mark.parametrize(
    "allowed", ["[PDQ](https://www.cancer.gov/)", "[mail](mailto:a@b.org)", "[phases](../phases.md#x)"]
)
def test_safe_links_are_allowed(scratch, capsys, allowed):
    path = scratch.root / "updates.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["changes"][1]["text"] += " " + allowed
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["--content", str(scratch.root), "check"]) == 0


def test_a_blueprint_with_an_unsafe_link_is_refused(tmp_path, capsys):
    blueprint = yaml.safe_load((ROOT / "quizzes" / "mixed-exam.yml").read_text(encoding="utf-8"))
    blueprint["description"] = "[go](javascript:alert(1))"
    (tmp_path / "mixed-exam.yml").write_text(yaml.safe_dump(blueprint), encoding="utf-8")
    assert main(["--quizzes", str(tmp_path), "check"]) == 1
    error = capsys.readouterr().err.splitlines()[0]
    assert re.match(rf"error: {tmp_path.name}/mixed-exam\.yml:\d+ description: a link to 'javascript:'", error)


# --- random text in every field: refused with a line, or shown as text ------------------------------------


def markdown_renderer(snippets: Path) -> markdown.Markdown:
    """python-markdown with the extensions and settings of mkdocs.yml, as MkDocs renders a page."""
    config = site_config(ROOT / "mkdocs.yml")["markdown_extensions"]
    names, settings_of = [], {}
    for entry in config:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        names.append(name)
        settings_of[name] = dict(options or {})
    settings_of["pymdownx.snippets"]["base_path"] = [str(snippets)]
    return markdown.Markdown(extensions=names, extension_configs=settings_of)


FRAGMENTS = st.sampled_from(
    [
        "<",
        ">",
        "</",
        "/>",
        "xss-tag",
        " xss-attr=1",
        '"',
        "'",
        "&",
        "&amp;",
        "&#60;",
        "[",
        "]",
        "(",
        ")",
        "*",
        "_",
        "`",
        "#",
        ":",
        "\n",
        "\n\n",
        "    ",
        "=",
        "!",
        "|",
        "\\",
        "<script>",
        "alert(1)",
        "javascript:",
        "onerror=",
        " ",
        "a",
        "1",
        "%",
        "{",
        "}",
        "-",
        "<!--",
        "-->",
        "<![CDATA[",
        "::",
        "~",
        "$",
        "@",
    ]
)
HOSTILE = st.one_of(st.lists(FRAGMENTS, min_size=1, max_size=12).map("".join), st.text(min_size=1, max_size=20))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE)
def test_random_text_in_every_field_is_refused_or_shown_as_text(text):
    with tempfile.TemporaryDirectory() as folder:
        content, quizzes, _ = hostile_copy(Path(folder), text)
        try:
            files = render_site(*load_inputs(content, quizzes))
        except ContentError as error:
            assert all(re.match(r"^\S+\.yml:\d+ ", str(p)) for p in error.problems), error
            return
        snippets = Path(folder) / "snippets"
        snippets.mkdir()
        (snippets / "abbreviations.md").write_text(files["snippets/abbreviations.md"], encoding="utf-8")
        renderer = markdown_renderer(snippets)
        for path, page in files.items():
            if not path.endswith(".md") or not path.startswith("docs/"):
                continue
            _, front, body = page.split("---\n", 2)
            title = yaml.safe_load(front)["title"]
            assert made_markup(title) == [], (path, "title")
            assert made_markup(renderer.reset().convert(body)) == [], path


# --- attribute lists: a text's '{' is never the start of one, whatever the input checks say -------------


@pytest.mark.parametrize(
    "text",
    [
        "*x*{tabindex=0 autofocus onfocus=alert(document.domain)}",
        "[x](https://a.example/){href=javascript:alert(1)}",
        "a paragraph { #id .cls style=color:red }",
        "*x*{: onclick=alert(1) }",
        "x {data-toc-label='<b>x</b>' onmouseover=alert(1)}",
    ],
)
def test_a_text_in_a_page_template_never_makes_an_attribute(tmp_path, text):
    from generator.render import environment

    page = environment().from_string("## {{ t }}\n\n{{ t }}\n\n| a |\n|---|\n| {{ t }} |\n\n- {{ t }}\n").render(t=text)
    (tmp_path / "abbreviations.md").write_text("", encoding="utf-8")
    html = markdown_renderer(tmp_path).convert(page)
    attributes = re.findall(r'\s([\w:-]+)="([^"]*)"', html)
    made = {("class", "headerlink"), ("title", "Permanent link"), ("href", "https://a.example/")}
    assert [(n, v) for n, v in attributes if (n, v) not in made and n not in ("id", "href")] == [], html
    assert [v for n, v in attributes if n == "href" and not v.startswith(("#", "https://a.example/"))] == []


def test_quiz_new_refuses_an_attribute_list_in_the_title(tmp_path, capsys):
    argv = [
        "--quizzes",
        str(tmp_path),
        "quiz",
        "new",
        "--title",
        "*x*{onclick=alert(1)}",
        "--templates",
        "ponatinib-dose",
    ]
    assert main(argv) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: --title: attribute lists ('{: …}', '{#id}', '{.class}', '{key=value}') are not allowed in text"
    ]
    assert list(tmp_path.iterdir()) == []


# --- the guarantee is the output: with every input check switched off, generated Markdown in every ----
# --- field makes no handler, no style, no script URL and no request to another host, on any page ----
# --- or in any export (sanitise.py and the page templates' escaping, not markup.py, ensure it) ---------

ATTACKS = [
    "*x*{tabindex=0 autofocus onfocus=alert(document.domain)}",
    "[a](https://a.example/){href=javascript:alert(1)}",
    "*s*{style=background:url(https://evil.example/x)}",
    "x {: onclick=alert(1) }",
    "{ #id .cls onmouseover=alert(1) }",
    "## h {data-toc-label='<b onclick=alert(1)>x</b>'}",
    "[x](javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)",
    "[x](//evil.example/)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "- item\n\n    [r]: data:text/html,x\n\n    [y][r]",
    "> [q]: vbscript:x\n>\n> [z][q]",
    "Term\n:   [d]: javascript:x\n\n    [w][d]",
    "[^n]\n\n[^n]: note [f]\n\n    [f]: javascript:x",
    "![p](https://tracker.example/p.png)",
    "![p][img]\n\n[img]: https://tracker.example/p.png",
    "<javascript:alert(1)>",
    "<https://evil.example/>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "<img src=x onerror=alert(1)>",
    "* > - [n](javascript:alert(1))",
    "1. > [m]: javascript:1\n   > [k][m]",
    "*[HTML]: <b onclick=alert(1)>",
    '!!! note "x" onclick=alert(1)',
    '=== "tab"\n    [t](javascript:1)',
    "| a |\n|:-|\n| b |",
    '<div markdown="1" onclick="alert(1)">x</div>',
]
MARKDOWN = st.lists(st.one_of(st.sampled_from(ATTACKS), FRAGMENTS), min_size=1, max_size=6).flatmap(
    lambda parts: st.lists(
        st.sampled_from(["", " ", "\n", "\n\n", "\n    "]), min_size=len(parts), max_size=len(parts)
    ).map(lambda gaps: "".join(part + gap for part, gap in zip(parts, gaps)))
)


def export_fragments(name: str, data: bytes, scratch: Path):
    """The HTML an export carries, as the importing application will read it."""
    import sqlite3
    import xml.etree.ElementTree as ET
    import zipfile
    from io import BytesIO

    if name.endswith(".gift.txt"):
        yield data.decode("utf-8")
    elif name.endswith(".xml"):
        yield from html_texts(ET.fromstring(data))
    elif name.endswith(".zip"):
        with zipfile.ZipFile(BytesIO(data)) as package:
            for member in package.namelist():
                if member.endswith(".xml"):
                    yield from html_texts(ET.fromstring(package.read(member)))
    elif name.endswith(".apkg"):
        with zipfile.ZipFile(BytesIO(data)) as deck:
            (scratch / "collection.anki2").write_bytes(deck.read("collection.anki2"))
        with sqlite3.connect(scratch / "collection.anki2") as db:
            for (fields,) in db.execute("select flds from notes"):
                yield from fields.split("\x1f")
            for (models,) in db.execute("select models from col"):
                yield models


def html_texts(root):
    """Every text of an XML export but those it marks as plain text (QTI's text/plain options,
    which Canvas shows as they stand)."""
    for element in root.iter():
        if element.text and element.get("texttype") != "text/plain":
            yield element.text


def unsafe(html: str) -> list[str]:
    from generator.sanitise import page_problems

    return page_problems(html) + made_markup(html)


def no_input_checks():
    from unittest import mock

    return mock.patch("generator.markup.problems", lambda text: iter(()))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MARKDOWN)
def test_generated_markdown_in_every_field_is_inert_on_every_page_and_export(text):
    from generator.sanitise import clean_page

    with tempfile.TemporaryDirectory() as folder, no_input_checks():
        content, quizzes, _ = hostile_copy(Path(folder), text)
        try:
            files = render_site(*load_inputs(content, quizzes))
        except ContentError as error:  # a text that breaks the schema or a placeholder: refused, with its line
            assert all(re.match(r"^\S+\.yml:\d+ ", str(p)) for p in error.problems), error
            return
        snippets = Path(folder) / "snippets"
        snippets.mkdir()
        (snippets / "abbreviations.md").write_text(files["snippets/abbreviations.md"], encoding="utf-8")
        renderer = markdown_renderer(snippets)
        for path, page in files.items():
            if path.endswith(".md") and path.startswith("docs/"):
                body = renderer.reset().convert(page.split("---\n", 2)[2])
                built = '<article class="md-content__inner md-typeset">' + body + "</article>"
                assert unsafe(clean_page(built)) == [], path
            elif "/downloads/" in path:
                for fragment in export_fragments(path, files[path], Path(folder)):
                    assert unsafe(fragment) == [], (path, fragment[:200])


def test_every_attack_at_once_builds_a_site_with_nothing_live(tmp_path):
    """The whole site, built by MkDocs with the theme, every attack in every field, no input check."""
    with no_input_checks():
        content, quizzes, count = hostile_copy(tmp_path, "\n\n" + "\n\n".join(ATTACKS))
        assert count > 1000
        builder = (sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs_config(tmp_path)), "--site-dir")
        site = tmp_path / "site"
        build_site(content, tmp_path / "build", site, builder=builder, quizzes_dir=quizzes)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        assert unsafe(page.read_text(encoding="utf-8")) == [], page.relative_to(site)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert unsafe(doc["title"]) == [] and unsafe(doc["text"]) == [], doc["location"]
