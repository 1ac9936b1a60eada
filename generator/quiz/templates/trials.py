"""Case templates on the trials the summary reports, drawn from content/studies.yml: a family
that grows with the studies. Keys are the summary's own figures and grades, read from the data."""

from __future__ import annotations

import random

from generator.content import Content
from generator.models import DESIGN_NAMES, Endpoint, Study
from generator.quiz.question import LearnMore, Option, Question, assemble_by_text
from generator.quiz.registry import Context, template


def study_name(study: Study) -> str:
    """A trial's name where it has one (ENESTnd, NCT04971226), else its title."""
    return study.name or study.registry or study.title


def study_link(study: Study) -> LearnMore:
    return LearnMore(study_name(study), f"sections/{study.section}.md#study-{study.id}")


# --- Which arm did better ----------------------------------------------------------------------------


def comparisons(content: Content) -> list[tuple[Study, Endpoint]]:
    """Endpoints with a percentage for two or more arms that differ in treatment, one of them
    clearly the highest: the summary's head-to-head results."""
    found = []
    for study in content.studies.values():
        arms = {arm.name: tuple(arm.therapies) for arm in study.arms}
        for endpoint in study.endpoints:
            results = [r for r in endpoint.results if r.pct is not None and not r.combined and r.arm in arms]
            values = sorted((float(r.pct) for r in results), reverse=True)  # type: ignore[arg-type]
            if len({arms[r.arm] for r in results}) >= 2 and len(values) >= 2 and values[0] - values[1] >= 2:
                found.append((study, endpoint))
    return found


@template("trial-higher-arm", "Which arm of a trial did better on an endpoint", "trials", "chronic")
def trial_higher_arm(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    study, endpoint = rng.choice(comparisons(ctx.content))
    results = [r for r in endpoint.results if r.pct is not None and not r.combined]
    arms = [r.arm for r in results]
    fill = [t.name for t in ctx.content.therapies.values() if t.name not in arms]
    shown = arms + rng.sample(fill, 5 - len(arms))
    case = {"study": study.id, "endpoint": endpoint.name}
    key_text = trial_higher_arm.expected(case, ctx)
    best = next(r for r in results if r.arm == key_text)
    pct = {r.arm: r.pct for r in results}
    options = []
    for name in shown:
        if name == key_text:
            why = ctx.say("why_key", arm=name, value=best.pct, endpoint=endpoint.name)
        elif name in pct:
            why = ctx.say("why_lower", arm=name, value=pct[name], best=key_text, best_value=best.pct)
        else:
            why = ctx.say("why_not_an_arm", arm=name)
        options.append(Option(name, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", study=study_name(study), setting=study.setting),
        lead_in=ctx.say("lead_in", endpoint=endpoint.name),
        explanation=ctx.say(
            "explanation",
            study=study_name(study),
            results=[ctx.say("result", arm=r.arm, value=r.pct) for r in results],
        ),
        learn_more=study_link(study),
        evidence=study.level,
        case=case,
        section=study.section,
    )


@trial_higher_arm.expected
def _(case, ctx):
    study = ctx.content.studies[case["study"]]
    endpoint = next(e for e in study.endpoints if e.name == case["endpoint"])
    results = [r for r in endpoint.results if r.pct is not None and not r.combined]
    return max(results, key=lambda r: r.pct).arm


# --- The level of evidence the summary gives a study --------------------------------------------------


@template("trial-evidence-level", "The level of evidence the summary gives a study", "trials", "chronic")
def trial_evidence_level(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    graded = [s for s in ctx.content.studies.values() if s.level]
    study = rng.choice(graded)
    case = {"study": study.id}
    key_text = trial_evidence_level.expected(case, ctx)
    options = [
        Option(level.code, ctx.say("why_key" if level.code == key_text else "why_other", level=key_text))
        for level in ctx.content.evidence.levels
    ]
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            "vignette", study=study_name(study), setting=study.setting, design=DESIGN_NAMES[study.design].lower()
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", study=study_name(study), level=key_text),
        learn_more=study_link(study),
        case=case,
        section=study.section,
    )


@trial_evidence_level.expected
def _(case, ctx):
    return ctx.content.studies[case["study"]].level
