"""`source diff`: what changed between two releases of the summary, and which places of content/
to revisit. Small synthetic releases (as the page's text and as saved HTML) with a threshold, a
trial figure and a study sentence changed, added or removed; one run on the real summary."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.models import UpdatesFile
from generator.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SUMMARY = ROOT.parent / "shared" / "source" / "cml-treatment-pdq-hp.txt"

GENERAL = "General Information About Chronic Myeloid Leukemia (CML)"
HISTO = "Histopathology and Phases of CML"
CHRONIC = "Treatment of Chronic-Phase CML"

THRESHOLD = "Accelerated-phase CML is characterized by 10% to 19% blasts in either the peripheral blood or bone marrow."
TRIAL = (
    "At week 48, 66.0% of patients who received asciminib had an MMR, and 57.8% of patients who "
    "received second-generation TKIs had an MMR."
)
WITHDRAWAL = "A withdrawal syndrome of muscle and joint pain has been reported after discontinuing TKI therapy."
NEW_TRIAL = "A new randomized trial found an MMR rate of 72.5% at 12 months with the newest TKI."


def reference(ref_id: str) -> str:
    refs = yaml.safe_load((CONTENT / "references.yml").read_text(encoding="utf-8"))["references"]
    ref = next(r for r in refs if r["id"] == ref_id)
    return f"{ref['authors']}: {ref['title']} {ref.get('journal', '')} {ref.get('volume', '')}, {ref['year']}."


def release(date: str, *, threshold=THRESHOLD, trial=TRIAL, withdrawal=True, new_trial=False) -> dict:
    """Sections: title -> (subsection, [(sentence, cited reference numbers)], [references])."""
    chronic = [("Discontinuation", [(trial, [1])] + ([(WITHDRAWAL, [2])] if withdrawal else []))]
    if new_trial:
        chronic.append(("Newer TKIs", [(NEW_TRIAL, [])]))
    return {
        "date": date,
        "sections": {
            GENERAL: (
                [("Incidence and Mortality", [("New cases: 9,560.", [1]), ("Deaths: 1,290.", [])])],
                [reference("acs-2025")],
            ),
            HISTO: ([("Accelerated-Phase CML", [(threshold, [1])])], [reference("cortes-2006")]),
            CHRONIC: (chronic, [reference("hochhaus-2024"), reference("richter-2014")]),
        },
        "note": {CHRONIC: "Revised text about the asciminib trial."},
    }


def as_text(spec: dict) -> str:
    """The page as a browser copies it: every inline element on a line of its own."""
    titles = [*spec["sections"], f"Latest Updates to This Summary ({spec['date']})", "About This PDQ Summary"]
    lines = ["Chronic Myeloid Leukemia Treatment (PDQ®)–Health Professional Version", "", "On This Page", ""]
    lines += [line for t in titles for line in (t, "")]
    for title, (subsections, refs) in spec["sections"].items():
        lines += ["", "", title, "", "", "In This Section", *[s for s, _ in subsections]]
        for subsection, sentences in subsections:
            lines.append(subsection)
            for sentence, cites in sentences:
                lines.append(sentence + "".join(f"[\n{n}\n]" for n in cites))
        lines.append("References")
        lines += [line for ref in refs for line in (ref, "[PUBMED Abstract]")]
    lines += ["", "", titles[-2], "", "", "The PDQ cancer information summaries are reviewed regularly."]
    for title, note in spec["note"].items():
        lines += [title, note]
    lines += ["This summary is written and maintained by the PDQ Adult Treatment Editorial Board.", ""]
    lines += ["", "", titles[-1], "", "", "Purpose of This Summary", "This summary is for professionals."]
    return "\n".join(lines) + "\n"


def as_html(spec: dict) -> str:
    """The page saved as HTML: h2 sections, h3 subsections, citations as linked numbers."""
    e = html.escape
    parts = ["<!DOCTYPE html><html><head><title>CML</title><script>var x = '<h2>no</h2>';</script></head><body>"]
    parts.append('<nav class="on-this-page"><h2>On This Page</h2><ul><li>General</li></ul></nav><article>')
    for title, (subsections, refs) in spec["sections"].items():
        parts.append(f"<section><h2>{e(title)}</h2>")
        parts.append('<div class="in-this-section"><h6>In This Section</h6><ul>')
        parts += [f"<li>{e(s)}</li>" for s, _ in subsections] + ["</ul></div>"]
        for subsection, sentences in subsections:
            parts.append(f"<h3>{e(subsection)}</h3><p>")
            for sentence, cites in sentences:
                parts.append(e(sentence) + "".join(f'[<a href="#r{n}">{n}</a>]' for n in cites) + " ")
            parts.append("</p>")
        parts.append("<h6>References</h6><ol>" + "".join(f"<li>{e(r)} [<a>PUBMED Abstract</a>]</li>" for r in refs))
        parts.append("</ol></section>")
    parts.append(f"<section><h2>Latest Updates to This Summary ({spec['date']})</h2><p>Reviewed regularly.</p>")
    for title, note in spec["note"].items():
        parts.append(f"<p><strong>{e(title)}</strong></p><p>{e(note)}</p>")
    parts.append("<p>This summary is written and maintained by the board.</p></section></article></body></html>")
    return "\n".join(parts)


def place(file: str, *key: str | int) -> str:
    """file:line:key as the report writes it, the line read from the file itself."""
    document = load_yaml(CONTENT / file, f"content/{file}")
    dotted = ""
    for part in key:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else part)
    return f"content/{file}:{document.line_of(key)}:{dotted}"


def study_index(study_id: str) -> int:
    studies = yaml.safe_load((CONTENT / "studies.yml").read_text(encoding="utf-8"))["studies"]
    return next(n for n, s in enumerate(studies) if s["id"] == study_id)


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(["--content", str(CONTENT), "source", "diff", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


EDITED = release(
    "04/01/2026",
    threshold=THRESHOLD.replace("10% to 19%", "12% to 19%"),
    trial=TRIAL.replace("66.0%", "68.1%"),
    withdrawal=False,
    new_trial=True,
)


@pytest.fixture(params=["text", "html"])
def releases(request, tmp_path):
    write = as_text if request.param == "text" else as_html
    old, new = tmp_path / f"old.{request.param}", tmp_path / f"new.{request.param}"
    old.write_text(write(release("03/13/2025")), encoding="utf-8")
    new.write_text(write(EDITED), encoding="utf-8")
    return old, new


def test_the_report_names_each_changed_sentence_word_by_word_with_its_figures(capsys, releases):
    code, out, _ = run(capsys, *map(str, releases))
    assert code == 0
    assert "2 sentence(s) changed, 1 added, 1 removed in 2 section(s)" in out
    assert f"== {HISTO} (content/sections/histopathology.yml)" in out
    assert f"== {CHRONIC} (content/sections/chronic.yml)" in out
    assert not any(line.startswith(f"== {GENERAL}") for line in out)  # unchanged sections are not listed
    assert (
        "changed: [Accelerated-Phase CML] Accelerated-phase CML is characterized by [-10%-] {+12%+} to 19% "
        "blasts in either the peripheral blood or bone marrow."
    ) in out
    assert (
        "changed: [Discontinuation] At week 48, [-66.0%-] {+68.1%+} of patients who received asciminib had "
        "an MMR, and 57.8% of patients who received second-generation TKIs had an MMR." in out
    )
    assert "  figures: 10% -> 12%" in out
    assert "  figures: 66.0% -> 68.1%" in out
    assert f"removed: [Discontinuation] {WITHDRAWAL}" in out
    assert f"added: [Newer TKIs] {NEW_TRIAL}" in out


def test_each_changed_or_removed_sentence_lists_the_places_that_hold_its_figures_or_cite_it(capsys, releases):
    _, out, _ = run(capsys, *map(str, releases))
    trial = study_index("asciminib-first-line")
    # the threshold: the phase's cut point in phases.yml
    assert f"  revisit {place('phases.yml', 'phases', 1, 'min_blasts_pct')} (holds 10%)" in out
    # the trial's figure: the study's result, and the section's text that states it
    results = yaml.safe_load((CONTENT / "studies.yml").read_text(encoding="utf-8"))["studies"][trial]["endpoints"]
    endpoint, result = next(
        (e, r) for e, ep in enumerate(results) for r, res in enumerate(ep.get("results", [])) if res.get("pct") == 66.0
    )
    assert (
        f"  revisit {place('studies.yml', 'studies', trial, 'endpoints', endpoint, 'results', result, 'pct')} "
        "(holds 66.0%)" in out
    )
    # the removed study sentence: the section's text that cites its reference
    chronic = yaml.safe_load((CONTENT / "sections" / "chronic.yml").read_text(encoding="utf-8"))
    where = next(
        (s, b)
        for s, sub in enumerate(chronic["subsections"])
        for b, block in enumerate(sub["blocks"])
        if "richter-2014" in block.get("cites", [])
    )
    cites = place("sections/chronic.yml", "subsections", where[0], "blocks", where[1], "cites")
    assert f"  revisit {cites} (cites richter-2014)" in out


def test_figures_content_holds_that_are_gone_and_new_figures_nothing_holds_are_listed(capsys, releases):
    _, out, _ = run(capsys, *map(str, releases))
    assert "== figures content/ holds that the new release no longer contains" in out
    gone = [line for line in out if line.startswith("gone: ")]
    assert any(line.startswith("gone: 66.0 at content/studies.yml:") for line in gone)
    assert f"gone: 10 at {place('phases.yml', 'phases', 1, 'min_blasts_pct')}" in gone  # the old cut point
    assert not any(line.startswith("gone: 57.8 at") for line in gone)  # still in the new release
    assert f"new figure: 72.5% ({CHRONIC}: {NEW_TRIAL})" in out
    assert f"new figure: 68.1% ({CHRONIC}: {EDITED_TRIAL})" in out
    assert not any(line.startswith("new figure: 57.8%") for line in out)  # held, and in both releases


EDITED_TRIAL = TRIAL.replace("66.0%", "68.1%")


def test_the_draft_is_a_valid_updates_file_of_the_new_date_and_content_is_untouched(capsys, releases, tmp_path):
    before = digest(CONTENT)
    draft = tmp_path / "updates-draft.yml"
    code, out, _ = run(capsys, *map(str, releases), "--draft", str(draft))
    assert code == 0
    assert f"wrote the draft for content/updates.yml to {draft}: edit it, then replace the file" in out
    entry = UpdatesFile.model_validate(yaml.safe_load(draft.read_text(encoding="utf-8")))
    assert entry.date == "04/01/2026"
    assert [c.section for c in entry.changes] == ["histopathology", "chronic"]
    chronic = entry.changes[1]
    assert chronic.text == "Revised text about the asciminib trial."  # the summary's note, to rewrite
    assert {"hochhaus-2024", "richter-2014"} <= set(chronic.refs)
    assert "asciminib-first-line" in chronic.studies
    assert entry.changes[0].refs == ["cortes-2006"]
    assert digest(CONTENT) == before


def test_without_draft_file_the_draft_follows_the_report_on_stdout(capsys, releases):
    _, out, _ = run(capsys, *map(str, releases))
    at = out.index("# --- draft for content/updates.yml (edit it, then replace the file) ---")
    UpdatesFile.model_validate(yaml.safe_load("\n".join(out[at + 1 :])))


def test_the_same_release_as_text_and_as_html_gives_the_same_report(capsys, tmp_path):
    reports = []
    for kind, write in (("txt", as_text), ("html", as_html)):
        old, new = tmp_path / f"old.{kind}", tmp_path / f"new.{kind}"
        old.write_text(write(release("03/13/2025")), encoding="utf-8")
        new.write_text(write(EDITED), encoding="utf-8")
        reports.append(run(capsys, str(old), str(new))[1][1:])
    assert reports[0] == reports[1]


def digest(folder: Path) -> str:
    hashes = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashes.update(str(path).encode() + path.read_bytes())
    return hashes.hexdigest()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, "new.txt: could not be read: No such file or directory"),
        (b"\xff\xfeC\x00M\x00L\x00", "new.txt:1: is not UTF-8 text; save the page as UTF-8"),
        (b"Just some notes about CML.\n", "new.txt: no sections of the summary found in this plain text"),
        (b"<html><body><p>Moved</p></body></html>", "new.txt: no sections of the summary found in this HTML page"),
    ],
)
def test_a_file_it_cannot_read_or_parse_is_one_line_and_exit_1(capsys, tmp_path, data, expected):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(as_text(release("03/13/2025")), encoding="utf-8")
    if data is not None:
        new.write_bytes(data)
    code, out, err = run(capsys, str(old), str(new))
    assert code == 1
    assert len(err) == 1 and err[0].startswith("error: ") and expected in err[0], err
    assert "Traceback" not in "\n".join(out + err)


def test_the_draft_is_never_written_into_content_nor_over_a_file(capsys, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(as_text(release("03/13/2025")), encoding="utf-8")
    new.write_text(as_text(EDITED), encoding="utf-8")
    before = digest(CONTENT)
    code, _, err = run(capsys, str(old), str(new), "--draft", str(CONTENT / "updates.yml"), "--force")
    inside = f"error: --draft '{CONTENT / 'updates.yml'}': source diff never writes into '{CONTENT}/'; "
    assert code == 1 and err == [inside + "name a file outside it"]
    existing = tmp_path / "mine.yml"
    existing.write_text("my notes\n", encoding="utf-8")
    code, _, err = run(capsys, str(old), str(new), "--draft", str(existing))
    assert code == 1 and err == [f"error: --draft '{existing}' exists already; use --force to overwrite it"]
    assert existing.read_text(encoding="utf-8") == "my notes\n"
    assert digest(CONTENT) == before


@pytest.mark.skipif(not SUMMARY.is_file(), reason="the summary's text is not beside the repository")
def test_on_the_real_summary_an_edited_copy_points_at_the_facts_that_moved(capsys, tmp_path):
    text = SUMMARY.read_text(encoding="utf-8")
    halving = "did well when the halving time was less than 76 days."
    assert text.count(halving) == 1 and text.count(TRIAL) == 1 and text.count(WITHDRAWAL) == 1
    edited = text.replace(halving, halving.replace("76", "80")).replace(TRIAL, TRIAL.replace("57.8%", "59.0%"))
    edited = edited.replace(WITHDRAWAL, "").replace(
        "Latest Updates to This Summary (03/13/2025)", "Latest Updates to This Summary (04/01/2026)"
    )
    new = tmp_path / "new.txt"
    new.write_text(edited, encoding="utf-8")
    code, out, _ = run(capsys, str(SUMMARY), str(new))
    assert code == 0
    assert out[0] == f"source diff: {SUMMARY} (03/13/2025) -> {new} (04/01/2026)"
    assert "2 sentence(s) changed, 0 added, 1 removed in 1 section(s)" in out
    assert "  figures: 76 -> 80" in out
    assert "  figures: 57.8% -> 59.0%" in out
    assert f"  revisit {place('responses.yml', 'halving_time', 'max_days')} (holds 76)" in out
    assert f"gone: 76 at {place('responses.yml', 'halving_time', 'max_days')}" in out
    assert any(line.startswith("removed: ") and line.endswith(WITHDRAWAL) for line in out)
    assert any(line.startswith("new figure: 59.0% (Treatment of Chronic-Phase CML: ") for line in out)


@pytest.mark.skipif(not SUMMARY.is_file(), reason="the source summary is kept beside the checkout, in ../shared")
def test_a_subsection_whose_text_opens_with_an_acronym_is_its_own():
    """The body of "Molecular Genetics" opens with "CML is identified ...": the text reader took a
    heading to need a lower-case second letter after it, so the subsection's 14 sentences were
    reported under "Incidence and Mortality"."""
    from generator.source.release import read_release

    general = read_release(SUMMARY).sections[0]
    opening = next(s for s in general.sentences if s.text.startswith("CML is identified by too many myeloblasts"))
    assert opening.subsection == "Molecular Genetics"
