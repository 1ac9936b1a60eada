"""Case templates on the trials the summary reports, drawn from content/studies.yml: a family
that grows with the studies. Keys are the summary's own figures and grades, read from the data."""

from __future__ import annotations

import random

from generator.content import Content
from generator.models import DESIGN_NAMES, Endpoint, Study
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble_by_text
from generator.quiz.registry import Context, template


def study_name(study: Study) -> str:
    """A trial's name where it has one (ENESTnd, NCT04971226), else its title."""
    return study.name or study.registry or study.title


def design_phrase(study: Study) -> str:
    """The design as words in a sentence, with its article: "a randomized trial", "a phase I
    trial", "nonrandomized reports" (a plural takes none)."""
    name = DESIGN_NAMES[study.design]
    words = name[0].lower() + name[1:]
    if words.split()[-1].endswith("s") or words.startswith("several"):
        return words
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def study_link(study: Study) -> LearnMore:
    return LearnMore(study_name(study), f"sections/{study.section}.md#study-{study.id}")


# --- What a comparative study found, and whether it was significant --------------------------------

STATED = ("significant", "not-significant")  # what the summary says; "not-stated" is never asked


def stated_endpoints(study: Study) -> list[Endpoint]:
    """The endpoints whose difference between arms the summary calls significant or not, clearly."""
    return [
        e
        for e in study.endpoints
        if e.significance in STATED and len(e.compared) == 2 and (study.id, e.name) not in GREY_FINDINGS
    ]


def in_sentence(name: str) -> str:
    """An endpoint's name inside a sentence: "Overall survival" lower-cased, "MMR" kept."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def group_in_sentence(ctx: Context, endpoint: Endpoint, group: str) -> str:
    """A compared group inside a finding; several arms taken together are called pooled, so that
    "did significantly better than imatinib, nilotinib, dasatinib or bosutinib" is not read as
    better than each (S7-B)."""
    pooled = any(r.arm == group and r.combined for r in endpoint.results)
    return ctx.say("pooled", arms=in_sentence(group)) if pooled else in_sentence(group)


def finding_texts(ctx: Context, endpoint: Endpoint) -> tuple[str, list[str]]:
    """The finding the summary reports for an endpoint, and the two it does not: either group
    significantly favored, or no significant difference."""
    first, second = (group_in_sentence(ctx, endpoint, group) for group in endpoint.compared)
    name = endpoint.name
    # The null finding names no group (S8-bank-B-2, T3: it named the true winner first, so a key
    # never had the second-named group win; R-bank-fix13, T7: halves naming both groups made
    # options of up to 265 characters, when the stem names the groups compared).
    readings = {
        "first": ctx.say("option_favored", endpoint=name, better=first),
        "second": ctx.say("option_favored", endpoint=name, better=second),
        "none": ctx.say("option_no_difference", endpoint=name),
    }
    true = readings["first" if endpoint.significance == "significant" else "none"]
    return true, [text for text in readings.values() if text != true]


def _pair(ctx: Context, first: str, second: str) -> str:
    """Two findings, one per endpoint, as one option."""
    return ctx.say("option_pair", first=first, second=in_sentence(second))


def figures(endpoint: Endpoint) -> str:
    """The summary's figures for an endpoint, for feedback (S9-final, T5: every reason was "the
    summary reports this finding", with no data): the compared groups' rates, P, HR and CI as
    given, and the summary's own note ("the survival curves converging by 8 years")."""
    rates = []
    # Every result where a compared group stands for several arms, each with its own figure
    # (ENESTnd's progression for nilotinib at either dose); else the compared groups'.
    mine = {r.arm for r in endpoint.results}
    shown = [r for r in endpoint.results if r.arm in endpoint.compared or not set(endpoint.compared) <= mine]
    # R-bank-fix13 (T2): where a percentage does not fit the study's own counts (content's doubt,
    # ENESTnd's imatinib "14%"), every group is given as its count of patients.
    counted = any(r.doubt for r in shown) and all(r.count is not None for r in shown)
    for r in shown:
        if counted:
            rate = f"{in_sentence(r.arm)} {r.count} patients"
        else:
            amount = " and ".join(f"{pct}%" for pct in r.pcts) if r.pcts else None
            if amount is None:
                amount = f"{r.pct}%" if r.pct is not None else r.value
            rate = f"{in_sentence(r.arm)} {amount}"
        rates.append(f"{rate} (P {r.p})" if r.p else rate)
    parts = [" vs. ".join(rates)] if rates else []
    if endpoint.difference_pct is not None:
        parts.append(f"difference {endpoint.difference_pct}%")
    if endpoint.hr is not None:  # as the summary names it, so that a CI says what it bounds (R-bank-fix13, T4)
        parts.append(f"HR {endpoint.hr}")
    if endpoint.ci:
        parts.append(f"95% CI {endpoint.ci}")
    if endpoint.p:
        parts.append(f"P {endpoint.p}")
    if endpoint.finding:
        parts.append(in_sentence(endpoint.finding.rstrip(".")))
    return "; ".join(parts)


def _and(names: list[str]) -> str:
    """The compared groups in a sentence: "a with b", "a with b and with c"."""
    return " and with ".join([f"{names[0]} with {names[1]}", *names[2:]])


def _options(ctx: Context, rows: list[str], columns: list[str], cells: list[tuple[int, int]], design: bool):
    """The key (rows[0] with columns[0]) and, for each other cell, its text and the true halves it
    gets wrong."""
    options = []
    for r, c in cells:
        if (r, c) == (0, 0):
            continue
        wrong = []
        if r:
            wrong.append(ctx.say("why_design", design=rows[0].lower()) if design else rows[0])
        if c:
            wrong.append(columns[0])
        options.append((_pair(ctx, rows[r], columns[c]), wrong))
    return _pair(ctx, rows[0], columns[0]), options


def _grid(rng: random.Random, ctx: Context, rows: list[str], columns: list[str], design: bool):
    """Five options on a grid of three first halves (rows, the true one first) by three second
    halves (columns). Every item holds both near misses, the key with only its first half wrong
    and with only its second half wrong (S9-final, T2: in 7 items one half was never needed), and
    two of the four cells sharing neither half with the key, chosen so that every option shares
    a half with another (S8-bank-B-2, T4) and neither of the key's halves is printed more often
    than every other (R-bank-fix13, T5: the key's design was the 3-of-5 majority)."""
    cells = [(0, 0), (rng.choice((1, 2)), 0), (0, rng.choice((1, 2)))]
    off = [(r, c) for r in (1, 2) for c in (1, 2)]
    while True:
        chosen = cells + rng.sample(off, 2)
        if all(any(o != x and (o[0] == x[0] or o[1] == x[1]) for o in chosen) for x in chosen):
            break
    return _options(ctx, rows, columns, chosen, design=design)


def _pairs(rng: random.Random, ctx: Context, endpoints: list[Endpoint]) -> tuple[str, list[tuple[str, list[str]]]]:
    """For two stated endpoints of a study, five options that each state a finding for both."""
    (t1, untrue1), (t2, untrue2) = (finding_texts(ctx, e) for e in endpoints)
    return _grid(rng, ctx, [t1, *rng.sample(untrue1, 2)], [t2, *rng.sample(untrue2, 2)], design=False)


# A single endpoint is asked with the study's design, beside the design a student might take it
# for: two designs by three findings, five of the six offered (R-bank-fix10's suggestion).
# R-bank-fix10-b: with one alternative a design, 'drug against transplant: a retrospective review'
# found every design; each design now has two it may be offered beside.
# R-bank-fix14 (T2-T4): the designs overlap (a randomized trial is prospective; a cohort may be
# retrospective), and "Randomized trial" beside a prospective trial whose cited title reads "a
# randomized comparison" was defensible; a design is now offered only beside designs it rules out.
OTHER_DESIGN = {
    "randomized": ("retrospective", "cohort"),
    "prospective": ("retrospective", "pooled"),
    # R-bank-fix17 (9): "retrospective comparative analyses" (L570, plural) came near 'Several
    # trials pooled'; a retrospective review is offered beside the two designs it rules out.
    "retrospective": ("randomized", "prospective"),
    "cohort": ("randomized", "pooled"),
}
# Findings never asked: "survival still favored the drug treatment arm (P = .049), but most of
# the benefit was early from transplant-related mortality, with the survival curves converging
# by 8 years" is a grey zone, not a clear "did significantly better" (R-bank-fix14, T3).
GREY_FINDINGS = {("early-sct-vs-drug", "Survival at a 9-year median follow-up")}
# How often a single endpoint is drawn, against a pair of endpoints (weight 1).
SINGLE_WEIGHT = 0.6


def question_units(content: Content) -> list[tuple[Study, list[Endpoint]]]:
    """Each pair of a study's stated endpoints, and each stated endpoint of a study whose design
    the summary states and its setting does not give away, asked on its own."""
    units: list[tuple[Study, list[Endpoint]]] = []
    for study in content.studies.values():
        if len(study.arms) < 2:
            continue
        endpoints = stated_endpoints(study)
        units += [(study, [a, b]) for i, a in enumerate(endpoints) for b in endpoints[i + 1 :]]
        told = DESIGN_NAMES[study.design].split()[0].lower() in study.setting.lower()
        if study.design in OTHER_DESIGN and not told:
            units += [(study, [e]) for e in endpoints]
    return units


def _with_design(rng: random.Random, ctx: Context, study: Study, endpoint: Endpoint):
    """One endpoint's finding paired with the study's design, beside the two designs a student
    might take it for (R-bank-fix13, T5: with two designs, one was printed three times), on the
    same grid as a pair of findings: the right finding with another design and the right design
    with a wrong finding always among the options."""
    truth, untrue = finding_texts(ctx, endpoint)
    designs = [DESIGN_NAMES[study.design], *(DESIGN_NAMES[d] for d in rng.sample(OTHER_DESIGN[study.design], 2))]
    return _grid(rng, ctx, designs, [truth, *rng.sample(untrue, 2)], design=True)


@template(
    "trial-higher-arm",
    "What a comparative study found, and whether the difference was significant",
    "trials",
    "chronic",
    section_by_case=True,
    examines="what the summary's comparative studies found, and whether the difference was significant",
    learners=("resident", "fellow"),
)
def trial_higher_arm(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """For two endpoints of a study, named in the lead-in, the pair of findings the summary
    reports (a group significantly favored, or no significant difference, for each), among
    four pairs it does not report. Only what the summary says is significant, or not, is asked;
    the study is named by its design, never called a head-to-head trial when it is a cohort or
    a review, and never by a name that gives away a drug. S7-B: 'Which finding does the summary
    report for this study?' could not be answered with the options covered; the lead-in now
    names the endpoints, and every option speaks to both."""
    # Every question the studies hold, drawn alike: each pair of a study's stated endpoints, and
    # each stated endpoint on its own asked with the study's design (R-bank-fix10: 11 distinct
    # questions in 20 items, when the single-endpoint studies were never asked).
    units = question_units(ctx.content)
    study, asked = rng.choices(units, [1 if len(a) == 2 else SINGLE_WEIGHT for _, a in units])[0]
    endpoints = stated_endpoints(study)
    case = {"study": study.id, "endpoints": [e.name for e in asked]}
    if len(asked) == 2:
        key_text, distractors = _pairs(rng, ctx, asked)
        # The endpoints quoted as named (R-bank-fix8-c: "this study's overall survival, Sokal
        # high-risk patients and its ..." read as garbled), and the question the options answer.
        lead_in = ctx.say("lead_in", first=asked[0].name, second=asked[1].name)
    else:
        key_text, distractors = _with_design(rng, ctx, study, asked[0])
        lead_in = ctx.say("lead_in_design", endpoint=asked[0].name)
    # The stem lists the groups the findings compare: an arm no finding names (ENESTnd's
    # nilotinib 400 mg) is noise (S7-B); where a compared group pools arms, every arm is listed.
    compared = {group for e in endpoints for group in e.compared}
    shown = [arm.name for arm in study.arms]
    if compared <= set(shown):
        shown = [name for name in shown if name in compared]
    if key_text != trial_higher_arm.expected(case, ctx):
        raise QuizError(f"the rules' finding for {study.id} is not the key")
    # Each reason gives the summary's figures for the findings it concerns (S9-final, T5); the
    # explanation speaks only of the endpoints asked, so that it answers no sister item (T1).
    data = {finding_texts(ctx, e)[0]: figures(e) for e in asked}
    told = "; ".join(f"{in_sentence(t)} ({d})" if d else in_sentence(t) for t, d in data.items())
    options = [Option(key_text, ctx.say("why_key", findings=told))]
    for text, wrong in distractors:
        said = [w if w not in data else (f"{in_sentence(w)} ({data[w]})" if data[w] else in_sentence(w)) for w in wrong]
        options.append(Option(text, ctx.say("why_other", finding="; ".join(said))))
    return assemble_by_text(
        rng,
        options,
        key_text,
        # No stem names the design (R-bank-fix10-b); the groups in alphabetical order, whatever
        # the result (S9-final, T4: the winner was named first in 12 of 15 items).
        vignette=ctx.say(
            "vignette_n" if study.n else "vignette",
            arms=_and(sorted((in_sentence(a) for a in shown), key=str.lower)),
            n=study.n,
            setting=study.setting,
        ),
        lead_in=lead_in,
        # The caution on non-significant results only where one was asked (R-bank-fix13, T7).
        explanation=ctx.say("explanation", findings=told)
        + (ctx.say("explanation_null") if any(e.significance == "not-significant" for e in asked) else ""),
        learn_more=study_link(study),
        evidence=study.level,
        case=case,
        section=study.section,
    )


@trial_higher_arm.expected
def _(case, ctx):
    study = ctx.content.studies[case["study"]]
    names = case.get("endpoints") or [case["endpoint"]]
    findings = []
    for name in names:
        endpoint = next(e for e in study.endpoints if e.name == name)
        if endpoint.significance not in STATED:
            raise QuizError(f"the summary does not say whether {endpoint.name} differs significantly")
        findings.append(finding_texts(ctx, endpoint)[0])
    if len(findings) == 2:
        return _pair(ctx, *findings)
    return _pair(ctx, DESIGN_NAMES[study.design], findings[0])


# S9-final (T1): in a set (registry.draw) a study fills at most 2 items, asks each of its
# findings once and its design once, and no item merges two others. R-bank-fix13 (T6): the rest
# of a set of 20 asked findings again, since the summary states significance for too few; a set
# is now cut where the findings run out (set_size), and no finding is ever asked twice in it.
MOST_ITEMS_PER_STUDY = 2


def _asked(question: Question) -> list[tuple[str, str]]:
    return [(question.case["study"], name) for name in question.case["endpoints"]]


@trial_higher_arm.fits
def _(question: Question, earlier: list[Question]) -> bool:
    """In a set, no study more than MOST_ITEMS_PER_STUDY times, no finding twice and no study's
    design twice (so no question twice, and no item merging others)."""
    study = question.case["study"]
    same = [q for q in earlier if q.case["study"] == study]
    asked = {pair for q in earlier for pair in _asked(q)}
    designs = sum(len(q.case["endpoints"]) == 1 for q in same) + (len(question.case["endpoints"]) == 1)
    return len(same) < MOST_ITEMS_PER_STUDY and designs <= 1 and not asked & set(_asked(question))


_.keeps_key = False  # another question, not another wording of this one


@trial_higher_arm.set_size
def questions_in_a_set(ctx: Context) -> int:
    """The most items a set can hold under `fits`: for each study, its best mix of one design
    item (a single finding) and pairs of findings, each finding once, at most
    MOST_ITEMS_PER_STUDY items. Every order of drawing reaches it, so draw() fills the set."""
    units: dict[str, list[list[Endpoint]]] = {}
    for study, asked in question_units(ctx.content):
        units.setdefault(study.id, []).append(asked)
    total = 0
    for asked in units.values():
        findings = {e.name for unit in asked for e in unit}
        single = any(len(unit) == 1 for unit in asked)
        best = 0
        for singles in (0, 1) if single else (0,):
            pairs = (len(findings) - singles) // 2
            best = max(best, min(MOST_ITEMS_PER_STUDY, singles + pairs))
        total += best
    return total
