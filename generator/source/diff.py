"""Compare two releases section by section, and say which places of content/ to revisit.

Sentences are aligned in order (difflib); what is left over on both sides is paired by word
similarity into changed sentences, the rest is removed or added. Every figure of a changed or
removed sentence is looked up in content/, and so is every reference it cites.
"""

from __future__ import annotations

import difflib
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from generator.source.figures import Figure, figures
from generator.source.places import ContentIndex, Place
from generator.source.release import Release, Section, Sentence

SAME_SENTENCE = 0.5  # share of words two sentences keep for one to count as the other, changed
COMMON = 6  # a figure held in more places than this is listed only where its section holds it


@dataclass
class Change:
    kind: str  # "changed", "removed" or "added"
    old: Sentence | None
    new: Sentence | None
    held: list[tuple[Figure, Place]] = field(default_factory=list)  # places holding its figures
    resting: list[tuple[str, Place]] = field(default_factory=list)  # places citing what it cites
    refs: list[str] = field(default_factory=list)  # content's reference ids it cites

    @property
    def sentence(self) -> Sentence:
        return self.new or self.old  # type: ignore[return-value]

    def figures_changed(self) -> tuple[list[str], list[str]]:
        old = Counter(str(f) for f in figures(self.old.text)) if self.old else Counter()
        new = Counter(str(f) for f in figures(self.new.text)) if self.new else Counter()
        return sorted((old - new).elements()), sorted((new - old).elements())


@dataclass
class SectionDiff:
    title: str
    section_id: str | None
    changes: list[Change]


@dataclass
class Report:
    old: Release
    new: Release
    sections: list[SectionDiff]
    gone: list[tuple[Decimal, list[Place]]]  # figures content holds that NEW no longer contains
    unheld: list[tuple[Figure, str, Sentence]]  # figures new in NEW that nothing in content holds


def compare(old: Release, new: Release, index: ContentIndex) -> Report:
    titles = [s.title for s in old.sections] + [s.title for s in new.sections if old.section(s.title) is None]
    sections = []
    for title in titles:
        before = old.section(title) or Section(title)
        after = new.section(title) or Section(title)
        section_id = index.section_ids.get(title)
        changes = _align(before.sentences, after.sentences)
        for change in changes:
            _locate(change, section_id, before, after, index)
        if changes:
            sections.append(SectionDiff(title, section_id, changes))
    # each figure as OLD writes it (66.0, not the 66 a patient range in content/ may hold)
    as_written = {f.value: f.value for s in old.sections for x in s.sentences for f in figures(x.text)}
    old_values = set(as_written)
    new_values = {f.value for s in new.sections for x in s.sentences for f in figures(x.text)}
    gone = [
        (as_written[value], index.figures[value]) for value in sorted(index.figures) if value in old_values - new_values
    ]
    unheld, seen = [], set()
    for section in new.sections:
        for sentence in section.sentences:
            for figure in figures(sentence.text):
                if figure.telling and figure.value not in old_values | set(index.figures) | seen:
                    seen.add(figure.value)
                    unheld.append((figure, section.title, sentence))
    return Report(old, new, sections, gone, unheld)


def _words(sentence: Sentence) -> list[str]:
    return sentence.text.split()


def _align(old: list[Sentence], new: list[Sentence]) -> list[Change]:
    matcher = difflib.SequenceMatcher(None, [s.text for s in old], [s.text for s in new], autojunk=False)
    left: list[Sentence] = []
    right: list[Sentence] = []
    position: dict[int, float] = {}  # where each sentence stands in the new release's order
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for n, sentence in enumerate(new[j1:j2]):
            position[id(sentence)] = j1 + n
        for n, sentence in enumerate(old[i1:i2]):
            position.setdefault(id(sentence), j1 - 0.5 + n / (i2 - i1 + 1))
        if tag != "equal":
            left += old[i1:i2]
            right += new[j1:j2]
    pairs = []
    for a in left:
        for b in right:
            ratio = difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()
            if ratio >= SAME_SENTENCE:
                pairs.append((ratio, a, b))
    changes, used_old, used_new = [], set(), set()
    for _, a, b in sorted(pairs, key=lambda p: -p[0]):
        if id(a) not in used_old and id(b) not in used_new:
            used_old.add(id(a))
            used_new.add(id(b))
            changes.append(Change("changed", a, b))
    changes += [Change("removed", a, None) for a in left if id(a) not in used_old]
    changes += [Change("added", None, b) for b in right if id(b) not in used_new]
    return sorted(changes, key=lambda c: position[id(c.new if c.new is not None else c.old)])


def _locate(change: Change, section_id: str | None, before: Section, after: Section, index: ContentIndex) -> None:
    """Where content/ holds the figures of the sentence as it was, or cites what it cited. A
    figure that changed is looked up everywhere; one the sentence keeps (or a removed sentence's
    figure held in many places) only in the section's own file and studies."""
    if change.old is not None:
        gone = set(change.figures_changed()[0]) if change.kind == "changed" else set()
        for figure in figures(change.old.text):
            places = index.holding(figure.value, figure.telling)
            everywhere = str(figure) in gone or (change.kind == "removed" and len(places) <= COMMON)
            change.held += [(figure, p) for p in places if everywhere or index.local(p, section_id)]
    refs = []
    for sentence, section in ((change.old, before), (change.new, after)):
        if sentence is None:
            continue
        for number in sentence.cites:
            text = section.references[number - 1] if 0 < number <= len(section.references) else None
            ref = index.reference_id(section_id, number, text)
            if ref and ref not in refs:
                refs.append(ref)
    change.refs = refs
    if change.old is not None:
        for ref in refs:
            for place in index.citing.get(ref, []):
                change.resting.append((ref, place))


# --- the report ------------------------------------------------------------------------------


def word_diff(old: str, new: str) -> str:
    """The new sentence with what changed marked: [-removed words-]{+added words+}."""
    a, b = old.split(), new.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += a[i1:i2]
        if tag in ("replace", "delete"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if tag in ("replace", "insert"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def report_lines(report: Report) -> list[str]:
    old, new = report.old, report.new
    lines = [f"source diff: {old.path} ({old.date or 'no date'}) -> {new.path} ({new.date or 'no date'})"]
    if new.notes and new.date != old.date:
        lines += ["", "the summary's own note on this release:"]
        lines += [f"  {title}: {note}" for title, note in new.notes.items()]
    counts = Counter(c.kind for s in report.sections for c in s.changes)
    lines.append(
        f"{counts['changed']} sentence(s) changed, {counts['added']} added, {counts['removed']} removed "
        f"in {len(report.sections)} section(s)"
    )
    for section in report.sections:
        file = f" (content/sections/{section.section_id}.yml)" if section.section_id else ""
        lines += ["", f"== {section.title}{file}"]
        for change in section.changes:
            where = f"[{change.sentence.subsection}] " if change.sentence.subsection else ""
            if change.kind == "changed":
                lines.append(f"changed: {where}{word_diff(change.old.text, change.new.text)}")
            else:
                lines.append(f"{change.kind}: {where}{change.sentence.text}")
            gone, came = change.figures_changed()
            if gone or came:
                lines.append(f"  figures: {', '.join(gone) or '-'} -> {', '.join(came) or '-'}")
            for figure, place in sorted(set(change.held), key=lambda x: (x[1], x[0])):
                lines.append(f"  revisit {place} (holds {figure})")
            for ref, place in sorted(set(change.resting), key=lambda x: (x[1], x[0])):
                lines.append(f"  revisit {place} (cites {ref})")
    if report.gone:
        lines += ["", "== figures content/ holds that the new release no longer contains"]
        for value, places in report.gone:
            lines += [f"gone: {value} at {place}" for place in places]
    if report.unheld:
        lines += ["", "== figures new in the new release that nothing in content/ holds"]
        for figure, title, sentence in report.unheld:
            lines.append(f"new figure: {figure} ({title}: {sentence.text})")
    return lines


def draft_updates(report: Report, index: ContentIndex) -> str:
    """A content/updates.yml for the new release: one change per section, for a person to edit."""
    date = report.new.date or "MM/DD/YYYY"
    lines = [
        f"# Latest Updates to This Summary ({date}): what changed, by section.",
        "# DRAFT written by `python -m generator source diff`: put each text in our own words, check",
        "# refs and studies, then replace content/updates.yml with this file and run `make test`.",
        f'date: "{date}"',
        "changes:",
    ]
    for section in report.sections:
        if section.section_id is None:
            continue
        refs = list(dict.fromkeys(r for c in section.changes for r in c.refs))
        places = [p for c in section.changes for _, p in c.held]
        cited = {
            s for s, r in index.study_refs.items() if r & set(refs) and index.study_section.get(s) == section.section_id
        }
        studies = sorted(index.studies_at(places) | cited)
        counts = Counter(c.kind for c in section.changes)
        tally = ", ".join(f"{counts[k]} sentence(s) {k}" for k in ("changed", "added", "removed") if counts[k])
        note = report.new.notes.get(section.title)
        text = note or f"TODO: say what changed in {section.title} ({tally})."
        lines.append(f"  - section: {section.section_id}")
        lines.append(f"    # {tally}" + ("; the text below is the summary's own note: rewrite it" if note else ""))
        lines.append("    text: >-")
        lines += ["      " + line for line in textwrap.wrap(text, 90)]
        if refs:
            lines.append(f"    refs: [{', '.join(refs)}]")
        if studies:
            lines.append(f"    studies: [{', '.join(studies)}]")
    if not any(s.section_id for s in report.sections):
        lines[-1] = "changes: []"
    return "\n".join(lines) + "\n"
