"""Read one release of the summary into sections of sentences, from plain text or saved HTML.

The plain text is what a browser copies from the cancer.gov page: every inline element (a
link, a superscript, a citation) breaks the line, so lines are joined back into paragraphs and
the headings are known from the page's own lists ("On This Page", "In This Section"). The HTML
is the same page saved from the browser, read with Beautiful Soup: h2 starts a section, h3 a
subsection. Both give the same Release, so a maintainer may diff a text against a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from generator.errors import GeneratorError


class SourceError(GeneratorError):
    """A release could not be read or holds no sections; one line naming the file."""


@dataclass(frozen=True)
class Sentence:
    text: str  # citation markers taken out
    subsection: str
    cites: tuple[int, ...] = ()  # the section's reference numbers, as the summary prints them
    levels: tuple[str, ...] = ()  # levels of evidence given after it (B3, C1, ...)


@dataclass
class Section:
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # numbered from 1, as cited


@dataclass
class Release:
    path: str
    date: str | None  # MM/DD/YYYY of "Latest Updates to This Summary (...)"
    sections: list[Section]
    notes: dict[str, str]  # the summary's own change note, by section title

    def section(self, title: str) -> Section | None:
        return next((s for s in self.sections if s.title == title), None)


@dataclass
class _Block:
    subsection: str
    text: str


@dataclass
class _RawSection:
    title: str
    blocks: list[_Block] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


UPDATES = re.compile(r"Latest Updates to This Summary\s*\((\d{2}/\d{2}/\d{4})\)")
UPDATES_TITLE = "Latest Updates to This Summary"
BOILERPLATE = "This summary is written and maintained by"
SKIPPED_LINES = {"Enlarge", "[PUBMED Abstract]", "Go to Patient Version", "PUBMED Abstract"}


def read_release(path: Path) -> Release:
    """Read a release; an unreadable or unrecognisable file raises SourceError (one line)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: could not be read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(f"{path}:{line}: is not UTF-8 text; save the page as UTF-8") from None
    is_html = re.search(r"<(!doctype html|html|body|h2)\b", text[:200_000], re.IGNORECASE) is not None
    raw = _html_sections(text) if is_html else _text_sections(text)
    if not raw:
        kind = "HTML page (no <h2> section headings)" if is_html else "plain text (no 'On This Page' list)"
        raise SourceError(
            f"{path}: no sections of the summary found in this {kind}; "
            "give the summary as cancer.gov's page saved as HTML or its text"
        )
    return _release(str(path), raw)


def section_key(title: str) -> str:
    """A section's title without the date the Latest Updates title carries."""
    return UPDATES_TITLE if title.startswith(UPDATES_TITLE) else title


def _release(path: str, raw: list[_RawSection]) -> Release:
    date = next((m.group(1) for r in raw if (m := UPDATES.search(r.title))), None)
    titles = {r.title for r in raw}
    sections, notes = [], {}
    for part in raw:
        if part.title.startswith(UPDATES_TITLE):
            notes = _notes(part, titles)
            continue
        sentences = [s for block in part.blocks for s in split_sentences(block.text, block.subsection)]
        sections.append(Section(section_key(part.title), sentences, part.references))
    return Release(path, date, sections, notes)


def _notes(part: _RawSection, titles: set[str]) -> dict[str, str]:
    """The change note of each section: in Latest Updates, a section's title, then its note."""
    notes: dict[str, list[str]] = {}
    current = None
    for block in part.blocks:
        text = block.text.split(BOILERPLATE)[0].strip()
        if text in titles:
            current = text
        elif current and text:
            notes.setdefault(current, []).append(strip_markers(text)[0])
        if BOILERPLATE in block.text:
            break
    return {title: " ".join(texts) for title, texts in notes.items()}


# --- sentences -------------------------------------------------------------------------------

MARKER = re.compile(r"\[\s*(\d+(?:\s*[-–,]\s*\d+)*)\s*\]|\[\s*Level of evidence\s+([A-Z0-9a-z.]+)\s*\]")
BOUNDARY = re.compile(r"[.?!](?:\s*\[[^\]]{1,60}\])*\s+(?=[\"“(\[]?[A-Z0-9])")
ABBREVIATIONS = {"vs", "e.g", "i.e", "al", "fig", "figure", "no", "approx", "dr", "st", "u.s", "ref", "refs"}


def split_sentences(text: str, subsection: str = "") -> list[Sentence]:
    """Sentences of a paragraph, each with the citations and levels of evidence that follow it."""
    text = tidy(text)
    pieces, start = [], 0
    for match in BOUNDARY.finditer(text):
        before = text[start : match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        words_before = " ".join(before[-2:]).lower()
        if last in ABBREVIATIONS or re.fullmatch(r"[a-z]", last) or re.fullmatch(r"figure \d+", words_before):
            continue
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    sentences = []
    carried: tuple[int, ...] = ()
    for piece in reversed(pieces):  # the summary cites at the end of what a citation covers
        plain, cites, levels = strip_markers(piece)
        carried = cites or carried
        if len(plain) > 1:
            sentences.append(Sentence(plain, subsection, carried, levels))
    return sentences[::-1]


def strip_markers(text: str) -> tuple[str, tuple[int, ...], tuple[str, ...]]:
    cites: list[int] = []
    levels: list[str] = []
    for match in MARKER.finditer(text):
        if match.group(1):
            for part in re.split(r"\s*,\s*", match.group(1)):
                ends = [int(x) for x in re.split(r"\s*[-–]\s*", part)]
                cites.extend(range(ends[0], ends[-1] + 1) if len(ends) == 2 and ends[0] <= ends[1] else ends)
        else:
            levels.append(match.group(2))
    plain = re.sub(r"\s+", " ", MARKER.sub(" ", text)).strip()
    plain = re.sub(r"\s+([.,;:])(?=\s|$)", r"\1", plain)
    return plain, tuple(dict.fromkeys(cites)), tuple(levels)


def tidy(text: str) -> str:
    """Join what the page's inline elements split: 'BCR :: ABL1' -> 'BCR::ABL1', '( P' -> '(P'."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    text = re.sub(r"\s*::\s*", "::", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    text = re.sub(r"\s+([.,;:])(?=\s|$|\[)", r"\1", text)
    text = re.sub(r"\]\s+\[", "][", text)
    return text


# --- plain text ------------------------------------------------------------------------------

TERMINAL = (".", "?", "!", ":", "]")


def _text_sections(text: str) -> list[_RawSection]:
    lines = [line.rstrip() for line in text.splitlines()]
    stripped = [line.strip() for line in lines]
    try:
        start = stripped.index("On This Page")
    except ValueError:
        return []
    titles: list[str] = []
    body = len(lines)
    for i in range(start + 1, len(lines)):
        if not stripped[i]:
            continue
        if titles and stripped[i] == titles[0]:
            body = i
            break
        titles.append(stripped[i])

    def blank(i: int) -> bool:
        return i < 0 or i >= len(lines) or not stripped[i]

    heads = [i for i in range(body, len(lines)) if stripped[i] in titles and blank(i - 1) and blank(i + 1)]
    sections = []
    for n, head in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        sections.append(_text_section(stripped[head], stripped[head + 1 : end], set(titles)))
    return sections


def _text_section(title: str, lines: list[str], titles: set[str]) -> _RawSection:
    section = _RawSection(title)
    content = [line for line in lines if line]
    subsections: list[str] = []
    if content and content[0] == "In This Section":
        candidates = []
        for line in content[1:]:
            if line == "Go to Patient Version" or (candidates and line == candidates[0]):
                break
            candidates.append(line)
        for candidate in candidates:  # the list ends where the body begins: the first line never seen again
            if content.count(candidate) < 2:
                break
            subsections.append(candidate)
        content = content[1 + len(subsections) :]
    subsection, buffer, previous = "", [], ""
    references_at = None

    def flush() -> None:
        if buffer:
            section.blocks.append(_Block(subsection, " ".join(buffer)))
            buffer.clear()

    for i, line in enumerate(content):
        if line in SKIPPED_LINES:
            continue
        ends = previous.endswith(TERMINAL) or not previous
        following = content[i + 1] if i + 1 < len(content) else ""
        if line == "References" and ends:
            references_at = i + 1
            break
        starts_word = re.match(r"[A-Z](?:[A-Za-z]|\s)", following) is not None  # a word or an acronym (CML)
        if ends and starts_word and (line in subsections or line in titles):
            flush()
            if line in subsections:
                subsection = line
            else:
                section.blocks.append(_Block(subsection, line))
        elif ends and starts_word and len(line) < 100 and re.search(r"[\w)?]$", line) and not line.endswith(TERMINAL):
            flush()  # a heading of its own (h4, "Evidence (...)", a list's lead)
            section.blocks.append(_Block(subsection, line))
        else:
            if ends and re.match(r"[A-Z]", line):
                flush()  # a new paragraph or list item: the page broke the line for it
            buffer.append(line)
        previous = line
    flush()
    if references_at is not None:
        section.references = _references(content[references_at:])
    return section


def _references(lines: list[str]) -> list[str]:
    """One entry per cited work: an entry starts with its authors and a colon."""
    entries: list[str] = []
    for line in lines:
        if line in SKIPPED_LINES:
            continue
        if re.match(r"[A-Z][^:]{0,300}: \S", line) or not entries:
            entries.append(line)
        else:
            entries[-1] += " " + line
    return [tidy(e) for e in entries]


# --- HTML ------------------------------------------------------------------------------------

BLOCKS = ["h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "dt", "dd", "figcaption", "caption"]
SKIPPED_PARENTS = {"nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form"}


def _html_sections(text: str) -> list[_RawSection]:
    soup = BeautifulSoup(text, "html.parser")
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in root.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    sections: list[_RawSection] = []
    subsection = ""
    in_references = False
    for tag in root.find_all(BLOCKS):
        if any(parent.name in SKIPPED_PARENTS for parent in tag.parents):
            continue
        if _in_page_navigation(tag):
            continue
        words = tidy(_own_text(tag))
        if not words:
            continue
        if tag.name == "h2":
            if words != "On This Page":
                sections.append(_RawSection(words))
            subsection, in_references = "", False
            continue
        if not sections:
            continue
        section = sections[-1]
        if tag.name in ("h3", "h4", "h5", "h6") and words == "References":
            in_references = True
        elif tag.name == "h3":
            subsection, in_references = words, False
        elif in_references and tag.name == "li":
            section.references.append(words.replace(" PUBMED Abstract", "").replace("[PUBMED Abstract]", "").strip())
        elif not in_references and words not in SKIPPED_LINES and words != "In This Section":
            section.blocks.append(_Block(subsection, words))
    return sections


def _in_page_navigation(tag: Tag) -> bool:
    """cancer.gov's 'On This Page' and 'In This Section' lists are navigation, not text."""
    for parent in tag.parents:
        classes = " ".join(parent.get("class") or []) if isinstance(parent, Tag) else ""
        if re.search(r"on-this-page|in-this-section|toc", classes):
            return True
    return False


def _own_text(tag: Tag) -> str:
    """The text of a block without the blocks nested in it (a list inside a list item)."""
    if tag.find(BLOCKS) is None:
        return tag.get_text()
    parts = []
    for child in tag.children:
        if isinstance(child, Tag) and (child.name in BLOCKS or child.find(BLOCKS) is not None):
            continue
        parts.append(child.get_text() if isinstance(child, Tag) else str(child))
    return "".join(parts)
