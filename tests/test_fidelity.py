"""Every figure on the site traces to the summary; tables driven by content/, not hand-copied lists."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from generator.pages import render_site
from generator.render import format_number

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SUMMARY = SHARED / "source" / "cml-treatment-pdq-hp.txt"


@pytest.fixture(scope="module")
def pages(content):
    return render_site(content)


def study_figures(study) -> list[str]:
    """Every figure a study carries, written as its page shows it."""
    figures = [str(study.n)] if study.n else []
    figures += [str(arm.n) for arm in study.arms if arm.n]
    for endpoint in study.endpoints:
        for result in endpoint.results:
            if result.pct is not None:
                figures.append(f"{format_number(result.pct)}%")
            figures += [f"{format_number(pct)}%" for pct in result.pcts]
            if result.value:
                figures.append(result.value)
            if result.count is not None:
                figures.append(f"{result.count} patients")
            figures += [x for x in (result.ci, result.p) if x]
        if endpoint.hr is not None:
            figures.append(f"HR {format_number(endpoint.hr)}")
        if endpoint.difference_pct is not None:
            figures.append(f"{format_number(endpoint.difference_pct)}%")
        figures += [x for x in (endpoint.ci, endpoint.p) if x]
    return figures


def test_every_study_figure_appears_on_its_section_page(content, pages):
    for study in content.studies.values():
        page = pages[f"docs/sections/{study.section}.md"]
        card = page[page.index(f'id="study-{study.id}"') :]
        card = card[: card.index("</div>")]
        for figure in study_figures(study):
            escaped = figure.replace("<", "&lt;").replace(">", "&gt;")
            assert escaped in card, f"{study.id}: {figure!r} missing from its card"


def _arm_size(study) -> float | None:
    """Patients per arm: the arm's own n where given, else the study's n shared evenly."""
    return study.n / len(study.arms) if study.n and study.arms else None


def test_a_count_that_does_not_fit_its_arm_keeps_the_summarys_words_and_says_so(content, pages):
    """ENESTnd: "A randomized prospective study of 846 patients compared nilotinib with
    imatinib" in three arms, and "Progression to accelerated-phase CML or blast crisis occurred
    in 17 patients who received imatinib (14%)": 17 of about 282 is about 6%, while "two
    patients who received nilotinib 300 mg twice daily (<1%" and "five patients who received
    nilotinib 400 mg twice daily (1.8%" fit arms of that size. Content keeps the summary's
    figures as it gives them, and a figure that does not fit its arm carries a note that the
    study's card shows (a reader doing the arithmetic is told why it does not add up)."""
    enestnd = content.studies["nilotinib-vs-imatinib"]
    progression = next(e for e in enestnd.endpoints if e.measure == "progression")
    imatinib = next(r for r in progression.results if r.arm == "Imatinib")
    assert (imatinib.count, imatinib.pct) == (17, 14)
    for study in content.studies.values():
        page = pages[f"docs/sections/{study.section}.md"]
        card = page[page.index(f'id="study-{study.id}"') :]
        card = card[: card.index("</div>")]
        for endpoint in study.endpoints:
            for result in endpoint.results:
                size = _arm_size(study)
                if result.count is None or result.pct is None or size is None:
                    continue
                fits = abs(100 * result.count / size - float(result.pct)) <= 1
                assert fits or result.doubt, f"{study.id}: {result.arm} {result.count} ({result.pct}%)"
                assert not (fits and result.doubt), f"{study.id}: a note on a figure that fits"
                if result.doubt:
                    assert result.doubt in card, study.id


def test_every_study_is_one_row_of_the_explorer(content, pages):
    explorer = pages["docs/studies.md"]
    rows = [line for line in explorer.splitlines() if line.startswith("| [")]
    assert len(rows) == len(content.studies)
    for study in content.studies.values():
        assert sum(f"#study-{study.id})" in row for row in rows) == 1, study.id


def test_every_section_lists_its_references_and_cites_each_one(content):
    for section in content.sections:
        cited = set()
        for _loc, block in section.blocks():
            cited |= set(block.cites)
            if block.study:
                cited |= set(content.studies[block.study].refs)
        assert cited <= set(section.references), section.id
        assert set(section.references) <= cited, (section.id, set(section.references) - cited)


def test_every_section_page_numbers_its_references(content, pages):
    for section in content.sections:
        page = pages[f"docs/sections/{section.id}.md"]
        for number, ref_id in enumerate(section.references, start=1):
            assert f'<span id="ref-{number}"></span>' in page
            assert f"references.md#{ref_id})" in page


def test_the_summarys_abbreviations_are_in_the_glossary(content):
    defined = {t.abbr for t in content.glossary.terms}
    for abbreviation in ["CML", "TKI", "MMR", "DMR", "EMR", "CMR", "BMT", "SCT", "OS", "PFS", "GVHD", "FISH", "WBC"]:
        assert abbreviation in defined


def test_the_references_page_links_back_to_every_citation(content, pages):
    references = pages["docs/references.md"]
    for section in content.sections:
        for number in range(1, len(section.references) + 1):
            assert f"(sections/{section.id}.md#ref-{number})" in references


def test_trial_names_are_only_those_the_sources_support(content):
    """A trial is named only where the summary or its reference's title names it."""
    for study in content.studies.values():
        if study.name:
            titles = " ".join(content.references[r].title for r in study.refs)
            assert study.name in titles, study.id


@pytest.mark.skipif(not SUMMARY.is_file(), reason="the source summary is kept beside the checkout, in ../shared")
def test_every_figure_in_content_traces_to_the_summary_or_a_cited_reference():
    tool = SHARED / "tools" / "trace_figures.py"
    result = subprocess.run(
        [sys.executable, str(tool), str(ROOT / "content"), str(SUMMARY)], capture_output=True, text=True, check=True
    )
    assert re.search(r"trace_figures: 0 figures", result.stdout), result.stdout


@pytest.mark.skipif(not SUMMARY.is_file(), reason="the source summary is kept beside the checkout, in ../shared")
def test_literal_figures_from_the_summary_are_in_the_content(content):
    """A handful of figures straight from the summary, as an independent check of content/."""
    summary = SUMMARY.read_text(encoding="utf-8")
    asciminib = content.studies["asciminib-first-line"]
    assert (asciminib.n, str(asciminib.endpoints[0].results[0].pct)) == (405, "67.7")
    assert content.studies["nilotinib-vs-imatinib"].n == 846
    assert content.studies["myeloablative-sct-15-year"].n == 2444
    assert content.management.ponatinib.start_mg_daily == 45
    for figure in ("405 patients", "67.7%", "2,444 patients", "45 mg"):
        assert figure in summary


def _plain(text: str) -> str:
    """Text without citation markers, with one kind of dash and single spaces."""
    text = re.sub(r"\[\s*(?:[\d,\s\-]+|Level of evidence [A-Z0-9iv]+)\s*\]", "", text)
    text = text.replace("–", "-").replace("−", "-")
    return re.sub(r"\s*::\s*", "::", re.sub(r"\s+", " ", text))


def _commentary(path: Path) -> list[str]:
    """A test file's comments (consecutive lines joined) and docstrings: where it quotes."""
    source = path.read_text(encoding="utf-8")
    blocks: list[str] = []
    last_line = -2
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            text = token.string.lstrip("#").strip()
            if token.start[0] == last_line + 1 and blocks:
                blocks[-1] += " " + text
            else:
                blocks.append(text)
            last_line = token.start[0]
    docstrings = [ast.get_docstring(node) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)]
    return blocks + [d for d in docstrings if d]


def _quotes(path: Path) -> list[str]:
    """The passages a test file quotes, cut at each "..." into the pieces the summary must hold."""
    pieces = []
    for block in _commentary(path):
        for quoted in re.findall(r'"([^"]{20,}?)"', block):
            for piece in re.split(r"\s*(?:\.\.\.|…)\s*", quoted):
                piece = piece.strip(" .,;:(")
                if len(piece) >= 12:
                    pieces.append(piece)
    return pieces


@pytest.mark.skipif(not SUMMARY.is_file(), reason="the source summary is kept beside the checkout, in ../shared")
@pytest.mark.parametrize("name", ["test_rules.py", "test_quiz_keys.py", "test_unfolding_keys.py"])
def test_every_sentence_the_rules_and_keys_quote_is_the_summarys(name):
    """A key is defensible from a sentence of the summary that a test quotes: each quoted
    passage must be in the summary word for word (citations and line breaks aside)."""
    summary = _plain(SUMMARY.read_text(encoding="utf-8"))
    pieces = _quotes(ROOT / "tests" / name)
    assert len(pieces) >= 10
    missing = [piece for piece in pieces if _plain(piece) not in summary]
    assert missing == []
