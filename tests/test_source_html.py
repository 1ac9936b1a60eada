"""`source diff` reads the summary saved from cancer.gov as HTML as it reads the text.

The page is built here from the real summary's text (../shared/source/) into cancer.gov's PDQ
markup, as NCI's publishing system writes it for the site (each section a
`div.pdq-sections` with an h2, an "In This Section" navigation, h3 subsections, citations as
bracketed links to `#cit/section_N.M`, levels of evidence as links, each reference list an
ordered list with its "[PUBMED Abstract]" link, figures with "Enlarge", the treatment table as a
table with caption, head, foot and cells) inside the site's header, "On This Page" navigation,
patient-version toggle and footer, which the reader must ignore. The blocks (paragraphs, list
items, cells) are the text reader's own; what is tested is that the markup around them reads
back into the same release.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from generator.source.command import source_diff
from generator.source.release import _RawSection, _text_sections, read_release

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = ROOT.parent / "shared" / "source" / "cml-treatment-pdq-hp.txt"
pytestmark = pytest.mark.skipif(not SUMMARY.is_file(), reason="needs ../shared/source/ (the real summary)")

CITATION = re.compile(r"\[\s*(\d+(?:\s*[-–,]\s*\d+)*)\s*\]")
LEVEL = re.compile(r"\[\s*Level of evidence\s+([A-Z0-9a-z.]+)\s*\]")
GENE = re.compile(r"\bBCR\s*::\s*ABL1\b")

HEADER = """<header class="nci-header" role="banner"><a class="nci-logo" href="/">National Cancer Institute</a>
<nav class="usa-nav" aria-label="Primary navigation"><ul><li><a href="/about-cancer">About Cancer</a></li>
<li><a href="/types">Cancer Types</a></li><li><a href="/research">Research</a></li></ul>
<form class="nci-search" role="search"><label for="q">Search</label><input id="q" name="q"></form></nav>
<nav class="usa-breadcrumb" aria-label="Breadcrumbs"><ol><li><a href="/">Home</a></li>
<li><a href="/types/leukemia">Leukemia</a></li><li><p>Treatment</p></li></ol></nav></header>"""

FOOTER = """<footer class="usa-footer site-footer"><div class="usa-footer__primary-section">
<h2>Contact Us</h2><p>Live Chat. 1-800-4-CANCER.</p><ul><li><a href="/policies">Policies</a></li>
<li><a href="/policies/accessibility">Accessibility</a></li></ul></div>
<p>National Cancer Institute at the National Institutes of Health.</p></footer>"""


def linked(text: str, section: int) -> str:
    """A block's text as the page marks it up: citations and levels as links, genes in italics."""
    escaped = html.escape(text, quote=False)

    def cites(match: re.Match) -> str:
        parts = re.split(r"(\s*[-–,]\s*)", match.group(1))
        return (
            "["
            + "".join(f'<a href="#cit/section_{section}.{p}">{p}</a>' if p.isdigit() else p.strip() for p in parts)
            + "]"
        )

    escaped = LEVEL.sub(
        lambda m: f'[<a href="/publications/pdq/levels-evidence/treatment">Level of evidence {m.group(1)}</a>]',
        escaped,
    )
    escaped = CITATION.sub(cites, escaped)
    return GENE.sub("<em>BCR</em>::<em>ABL1</em>", escaped)


def table(blocks: list[str], section: int) -> list[str]:
    """Caption, the two column heads, the abbreviations (its foot), then rows: a phase, its options."""
    caption, heads, foot, cells = blocks[0], blocks[1:3], blocks[3], blocks[4:]
    rows: list[list[str]] = []
    for cell in cells:
        if cell.endswith("CML"):
            rows.append([cell])
        else:
            rows[-1].append(cell)
    out = [
        '<figure class="table"><figcaption class="title">' + linked(caption, section) + "</figcaption>",
        '<table class="table-default"><thead><tr>'
        + "".join(f'<th scope="col">{h}</th>' for h in heads)
        + "</tr></thead>",
        f'<tfoot><tr><td colspan="2">{linked(foot, section)}</td></tr></tfoot><tbody>',
    ]
    for phase, *options in rows:
        paragraphs = "".join(f"<p>{linked(o, section)}</p>" for o in options)
        out.append(f'<tr><td scope="row">{linked(phase, section)}</td><td>{paragraphs}</td></tr>')
    out.append("</tbody></table></figure>")
    return out


def section_html(number: int, part: _RawSection, titles: list[str]) -> list[str]:
    subsections = list(dict.fromkeys(b.subsection for b in part.blocks if b.subsection))
    out = [f'<div class="pdq-sections" id="_{number}"><h2 id="_{number}_toc">{html.escape(part.title)}</h2>']
    if subsections:
        links = "".join(f'<li><a href="#_{number}_{i}">{html.escape(s)}</a></li>' for i, s in enumerate(subsections))
        out.append(f'<nav class="in-this-section" role="navigation"><h6>In This Section</h6><ul>{links}</ul></nav>')
    if number == 1:
        out.append(
            '<div class="pdq-hp-patient-toggle"><a href="/types/leukemia/patient">Go to Patient Version</a></div>'
        )
    subsection, blocks = "", list(part.blocks)
    while blocks:
        block = blocks.pop(0)
        if block.subsection != subsection:
            subsection = block.subsection
            i = subsections.index(subsection)
            out.append(
                f'<section id="_{number}_{i}"><h3 id="_{number}_{i}_toc">{html.escape(subsection)}</h3></section>'
            )
        if block.text.startswith("Table "):
            region = [block.text]
            while blocks and blocks[0].subsection == subsection:
                region.append(blocks.pop(0).text)
            out.extend(table(region, number))
        elif block.text.startswith("Figure "):
            out.append(
                '<figure class="image-center"><a class="article-image-enlarge" href="/images/fig.jpg">Enlarge</a>'
                f'<img src="/images/fig.jpg" alt=""><figcaption><div class="caption-container"><p>'
                f"{linked(block.text, number)}</p></div></figcaption></figure>"
            )
        elif block.text in titles:  # "Cited in:" a section: a link to it
            target = f"#_{titles.index(block.text) + 1}"
            out.append(f'<ul class="key-ref-sections"><li><a href="{target}">{html.escape(block.text)}</a></li></ul>')
        else:
            out.append(f"<p>{linked(block.text, number)}</p>")
    if part.references:
        items = "".join(
            f'<li id="section_{number}.{n}">{html.escape(ref)} '
            f'<a href="https://www.ncbi.nlm.nih.gov/pubmed/{n}">[PUBMED Abstract]</a></li>'
            for n, ref in enumerate(part.references, start=1)
        )
        out.append(f'<div class="pdq-content-list"><h6>References</h6><ol>{items}</ol></div>')
    out.append("</div>")
    return out


def cancer_gov_page(summary_text: str) -> str:
    """The summary as cancer.gov serves it, saved from the browser."""
    raw = _text_sections(summary_text)
    titles = [part.title for part in raw]
    on_this_page = "".join(f'<li><a href="#_{n}">{html.escape(t)}</a></li>' for n, t in enumerate(titles, start=1))
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Chronic Myeloid Leukemia Treatment (PDQ®) - NCI</title>',
        "<script>window.dataLayer = [{'h2': '<h2>Not a section</h2>'}];</script>",
        '<style>h2 { color: #000; }</style></head><body><a class="usa-skipnav" href="#main">Skip to main content</a>',
        HEADER,
        '<main id="main"><article><div class="resize-content">',
        "<h1>Chronic Myeloid Leukemia Treatment (PDQ®)–Health Professional Version</h1>",
        f'<nav class="on-this-page" role="navigation"><h2>On This Page</h2><ul>{on_this_page}</ul></nav>',
    ]
    for number, part in enumerate(raw, start=1):
        body.extend(section_html(number, part, titles))
    body += ["</div></article>", '<aside class="related"><h2>Related Resources</h2><p>See also.</p></aside>', "</main>"]
    body += [FOOTER, "</body></html>"]
    return "\n".join(body)


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("release")
    text = folder / "summary.txt"
    page = folder / "summary.html"
    summary = SUMMARY.read_text(encoding="utf-8")
    text.write_text(summary, encoding="utf-8")
    page.write_text(cancer_gov_page(summary), encoding="utf-8")
    return text, page


def test_the_page_is_read_into_the_sections_sentences_and_references_of_the_text(saved):
    from_text, from_html = (read_release(path) for path in saved)
    assert [s.title for s in from_html.sections] == [s.title for s in from_text.sections]
    assert len(from_text.sections) == 9  # seven of the summary, Key References, About This PDQ Summary
    for text_section, html_section in zip(from_text.sections, from_html.sections):
        assert html_section.sentences == text_section.sentences, text_section.title
        assert html_section.references == text_section.references, text_section.title
    assert from_html.date == from_text.date == "03/13/2025"
    assert from_html.notes == from_text.notes and from_html.notes


def test_the_page_holds_what_the_reader_must_skip(saved):
    page = saved[1].read_text(encoding="utf-8")
    for markup in ("On This Page", "In This Section", "Live Chat", "Related Resources", "<table", "Enlarge"):
        assert markup in page
    words = " ".join(s.text for section in read_release(saved[1]).sections for s in section.sentences)
    chrome = (
        "Live Chat",
        "1-800-4-CANCER",
        "Cancer Types",
        "Related Resources",
        "Not a section",
        "Skip to main",
        "Enlarge",
    )
    for skipped in chrome:  # none of them is in the summary's own text
        assert skipped not in words


def test_text_against_page_of_one_release_reports_no_change(saved):
    report = source_diff(*saved, ROOT / "content", None, False)
    assert "0 sentence(s) changed, 0 added, 0 removed in 0 section(s)" in report, report
    assert "changes: []" in report
