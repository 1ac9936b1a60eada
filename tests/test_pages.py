"""Content in, Markdown out: pages show content's values and never run its text as HTML."""

from __future__ import annotations

import inspect

from markupsafe import escape

from generator.cli import main
from generator.content import load_content
from generator.pages import render_site
from generator.render import format_number, format_pct, show_in_page
from generator.rules import PUBLIC_API, Rules, methods_by_topic


def test_numbers_are_written_exactly():
    assert format_number(0.0032) == "0.0032"
    assert format_number(20.0) == "20"
    assert format_number(4.5) == "4.5"
    assert format_pct(0.001) == "0.001%"


def test_every_page_closes_with_the_source_and_the_disclaimer(content):
    for path, text in render_site(content).items():
        if path.startswith("docs/"):
            assert content.source.url in text, path
            assert content.source.updated in text, path
            assert "not medical advice" in text, path


def test_molecular_response_page_lists_every_level_with_threshold_and_log(content):
    page = render_site(content)["docs/molecular-response.md"]
    for level in content.responses.molecular_responses:
        row = next(line for line in page.splitlines() if line.startswith(f"| **{level.id}**"))
        assert f"≤ {format_pct(level.max_bcr_abl1_is_pct)}" in row
        assert f"{format_number(level.log_reduction)} logs" in row


def test_glossary_feeds_the_abbreviations_snippet(content):
    snippet = render_site(content)["snippets/abbreviations.md"]
    for term in content.glossary.terms:
        assert f"*[{term.abbr}]: {escape(term.expansion)}" in snippet


def test_html_in_content_is_shown_as_text_not_run(scratch):
    scratch.edit("phases.yml", "    name: Blastic phase\n", "    name: Blastic <script>alert(1)</script> phase\n")
    page = render_site(load_content(scratch.root))["docs/phases.md"]
    assert "<script>" not in page
    assert "Blastic &lt;script&gt;alert(1)&lt;/script&gt; phase" in page


def test_generate_writes_only_what_changed_and_removes_stale_files(tmp_path, capsys):
    out = tmp_path / "build"
    assert main(["--out", str(out), "generate"]) == 0
    stale = out / "docs" / "old-page.md"
    stale.write_text("left over", encoding="utf-8")
    assert main(["--out", str(out), "generate"]) == 0
    assert not stale.exists()
    assert "0 written" in capsys.readouterr().out.splitlines()[-1]


def test_the_rules_page_documents_every_rule_under_its_topic_with_its_docstring(content, rules):
    page = render_site(content)["docs/rules.md"]
    for topic, names in methods_by_topic().items():
        heading = page.index(f"## {inspect.getdoc(topic).partition(': ')[0]}\n")
        where = page.index(f"In `{topic.__name__.replace('.', '/')}.py`.", heading)
        for name in names:
            assert page.index(f"### `{name}`") > where
            assert f"\n{name}(" in page  # its signature, as Python writes it
            assert show_in_page(inspect.getdoc(getattr(rules, name))) in page  # as the page template writes it
    assert "-&gt;" not in page
    for function in PUBLIC_API:
        assert f"[{function.__name__}](#{function.__name__.replace('_', '-')})" in page


def test_every_rule_lives_in_a_topic_module_small_enough_to_read_at_once():
    """Rules binds the functions of generator/clinical/; it writes no rule of its own."""
    listed = [name for names in methods_by_topic().values() for name in names]
    assert sorted(listed) == sorted(name for name in dir(Rules) if not name.startswith("_"))
    for topic in methods_by_topic():
        assert topic.__name__.startswith("generator.clinical.")
        assert len(inspect.getsource(topic).splitlines()) < 200, topic.__name__


def test_the_scores_page_cites_every_score(content):
    page = render_site(content)["docs/scores.md"]
    for key in ("sokal", "hasford", "eutos", "elts"):
        score = getattr(content.scores, key)
        assert score.citation in page
        assert f"{{ #{key} }}" in page


def test_whole_numbers_print_without_a_trailing_point_zero(content):
    """A value the content writes as 3 prints as 3, not 3.0; only figures the summary itself
    writes with .0 (66.0%) keep it."""
    import re

    written = {
        str(result.pct)
        for study in content.studies.values()
        for e in study.endpoints
        for result in e.results
        if result.pct is not None
    }
    for path, text in render_site(content).items():
        text = re.sub(r"<svg.*?</svg>", "", text, flags=re.S)  # drawing coordinates are not figures
        text = re.sub(r'<script type="application/json".*?</script>', "", text, flags=re.S)  # data, not shown
        for figure in re.findall(r"(?<![\d.])(\d+\.0)(?!\d)", text):
            assert figure in written, f"{path}: {figure}"


def test_a_brace_in_a_value_reads_as_a_brace_on_the_page():
    """A '{' in content is written as the entity '&#123;' so that it cannot open an attribute
    list, and the entity is written once: escaped twice ('&amp;#123;'), the rules page showed
    '&#123;"error", "field"}' as text."""
    shown = show_in_page('{"error", "field"} <b>')
    assert str(shown) == "&#123;&#34;error&#34;, &#34;field&#34;} &lt;b&gt;"
    assert "&amp;" not in str(shown)
