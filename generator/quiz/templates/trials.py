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
    """The endpoints whose difference between arms the summary calls significant or not."""
    return [e for e in study.endpoints if e.significance in STATED and len(e.compared) == 2]


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
    # The null finding names the two groups in one order whatever the result (S8-bank-B-2, T3:
    # it named the true winner first, so a key never had the second-named group win).
    one, other = sorted((first, second), key=str.lower)
    readings = {
        "first": ctx.say("option_favored", endpoint=name, better=first, worse=second),
        "second": ctx.say("option_favored", endpoint=name, better=second, worse=first),
        "none": ctx.say("option_no_difference", endpoint=name, first=one, second=other),
    }
    true = readings["first" if endpoint.significance == "significant" else "none"]
    return true, [text for text in readings.values() if text != true]


def _pair(ctx: Context, first: str, second: str) -> str:
    """Two findings, one per endpoint, as one option."""
    return ctx.say("option_pair", first=first, second=in_sentence(second))


# Where the five options sit in a grid of the first endpoint's three readings (rows) by the
# second's (columns): every option shares a half with another (S8-bank-B-2, T4: with tt, tu, ut,
# uu, vv, the vv option shared nothing and was never the key), and the key is any of the five.
PAIR_CELLS = ((0, 0), (0, 2), (1, 0), (1, 1), (2, 1))


def _pairs(rng: random.Random, ctx: Context, endpoints: list[Endpoint]) -> tuple[str, list[tuple[str, str]]]:
    """For a study with two stated endpoints, options that each state a finding for both: the
    true pair, and four others laid out on PAIR_CELLS with the key on any cell alike, so that
    neither how often a half recurs nor an option sharing nothing points to the key."""
    (t1, untrue1), (t2, untrue2) = (finding_texts(ctx, e) for e in endpoints)
    row, column = rng.choice(PAIR_CELLS)
    rows, columns = rng.sample(untrue1, 2), rng.sample(untrue2, 2)
    rows.insert(row, t1)
    columns.insert(column, t2)
    whys = {}
    for r, c in PAIR_CELLS:
        one, two = rows[r], columns[c]
        if (one, two) == (t1, t2):
            continue
        wrong = [truth for truth, said in ((t1, one), (t2, two)) if said != truth]
        whys[_pair(ctx, one, two)] = ctx.say("why_other", finding="; ".join(in_sentence(w) for w in wrong))
    return _pair(ctx, t1, t2), list(whys.items())


# A single endpoint is asked with the study's design, beside the design a student might take it
# for: two designs by three findings, five of the six offered (R-bank-fix10's suggestion).
# R-bank-fix10-b: with one alternative a design, 'drug against transplant: a retrospective review'
# found every design; each design now has two it may be offered beside.
OTHER_DESIGN = {
    "randomized": ("retrospective", "cohort"),
    "prospective": ("randomized", "retrospective"),
    "retrospective": ("randomized", "prospective"),
    "cohort": ("randomized", "retrospective"),
}
# The most items one study fills in a set of 20 (registry.draw; R-bank-fix10-b: 9 of 20).
STUDY_MOST_IN_SET = 3
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


def _with_design(
    rng: random.Random, ctx: Context, study: Study, endpoint: Endpoint
) -> tuple[str, list[tuple[str, str]]]:
    """One endpoint's finding paired with the study's design: the true pair, and four of the five
    other pairs of the two designs by the three findings, the one left out drawn at random."""
    truth, untrue = finding_texts(ctx, endpoint)
    designs = [DESIGN_NAMES[study.design], DESIGN_NAMES[rng.choice(OTHER_DESIGN[study.design])]]
    others = [(d, f) for d in designs for f in (truth, *untrue) if (d, f) != (designs[0], truth)]
    whys = {}
    for design, finding in rng.sample(others, 4):
        wrong = []
        if design != designs[0]:
            wrong.append(ctx.say("why_design", design=designs[0].lower()))
        if finding != truth:
            wrong.append(in_sentence(truth))
        whys[_pair(ctx, design, finding)] = ctx.say("why_other", finding="; ".join(wrong))
    return _pair(ctx, designs[0], truth), list(whys.items())


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
    truths = {e.name: finding_texts(ctx, e)[0] for e in endpoints}
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
    options = [Option(key_text, ctx.say("why_key", finding=key_text))]
    options += [Option(text, why) for text, why in distractors]
    # No stem names the design (R-bank-fix10-b: other items' stems gave away the design items'
    # answer); a study is never misnamed a trial, and its design is asked where it is the point.
    design = "a study"
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            "vignette",
            design=design[0].upper() + design[1:],
            arms=rng.sample(shown, len(shown)),  # no order tells the result
            setting=study.setting,
        ),
        lead_in=lead_in,
        explanation=ctx.say(
            "explanation",
            findings=[in_sentence(t) for t in truths.values()],
        ),
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


@trial_higher_arm.fits
def _(question: Question, earlier: list[Question]) -> bool:
    """In a set of 20, no question twice (a study's endpoints asked again, whatever the order of
    its groups) and no study more than STUDY_MOST_IN_SET times (R-bank-fix10-b)."""
    same = [q for q in earlier if q.case["study"] == question.case["study"]]
    asked = question.case["endpoints"]
    return len(same) < STUDY_MOST_IN_SET and all(q.case["endpoints"] != asked for q in same)


_.keeps_key = False  # another question, not another wording of this one
