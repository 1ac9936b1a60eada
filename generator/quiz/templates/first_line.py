"""Case templates on first-line choice: options by phase and prognostic scores at diagnosis."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from typing import Any

from generator.clinical.formulas import INPUTS, score_value
from generator.quiz.cases import OLDEST_OFFERED_TRANSPLANT_YEARS
from generator.quiz.question import (
    LETTERS,
    LearnMore,
    Option,
    Question,
    QuizError,
    assemble,
    assemble_by_text,
    only_one,
)
from generator.quiz.registry import Context, template

# --- 7. First-line options ------------------------------------------------------------------------------

# S7-A: in half the items the key was the only single-agent BCR::ABL1 inhibitor among busulfan,
# hydroxyurea, interferon and a chemotherapy combination, so every item offers an inhibitor
# beside ponatinib. With ponatinib the only other one, "the inhibitor that is not ponatinib"
# answered every item (S8-bank-A-2, S8-bank-final), so the case decides. S10-lead-C: three
# options (interferon, hydroxyurea and their combination) were never the key, so each item was a
# choice between two. Now three situations share one set of options, a first-line inhibitor,
# ponatinib, allogeneic SCT, hydroxyurea and interferon alfa, and each situation keys another of
# the first three:
# - "new": newly diagnosed chronic phase; the key the first-line inhibitor (not asciminib, see
#   NOT_OFFERED); ponatinib is listed for relapsed CML, and transplant is no preferred initial treatment.
# - "t315i": a first TKI lost, the T315I variant found; the key ponatinib, which "has activity in
#   patients with T315I variants"; the first-line inhibitor offered is one the variant resists,
#   and transplant is the
#   preferred choice only once the disease has resisted ponatinib.
# - "after-ponatinib": T315I disease that has resisted ponatinib too, in a fit patient with an
#   HLA-matched sibling; the key allogeneic SCT, "the preferred choice" there.
# One set for every situation, so the options alone tell no key (R-bank-fix9-b); the two older
# drugs are never the key, but no item is a choice between two.
SETTING = "chronic"
# R-bank-fix19 (7): newly diagnosed items, each "the one first-line inhibitor offered", were 8 of
# 20; each situation now comes about a third of the time.
SITUATIONS = {"new": 0.34, "t315i": 0.33, "after-ponatinib": 0.33}
PONATINIB = "ponatinib"
TRANSPLANT = "allogeneic-sct"
FILLERS = ("hydroxyurea", "interferon-alfa")
# Asciminib is offered nowhere: with T315I, and after ponatinib, the summary reports responses to
# it (R-bank-fix15: a near miss beside transplant), and offered only as a key it would be one.
NOT_OFFERED = "asciminib"
IMATINIB = "imatinib"
# Not a therapy of content/therapies.yml but a way of giving one: its words are the template's.
HIGHER_DOSE_IMATINIB = "higher-dose-imatinib"


def _rules_allow(ctx: Context, situation: str) -> list[str]:
    """What the rules allow, the preferred first: first line in chronic phase, or after a TKI with
    T315I, before ponatinib or after it."""
    if situation == "new":
        return ctx.rules.treatment_options(SETTING)
    return ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=situation == "after-ponatinib")


@template(
    "first-line-options",
    "First-line inhibitor, the inhibitor for T315I, or transplant after it",
    "first-line",
    "chronic",
    examines="the preferred initial treatment of chronic-phase CML, against the treatment with the T315I variant",
    learners=("student", "resident"),
)
def first_line_options(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    setting = SETTING
    situation = rng.choices(list(SITUATIONS), list(SITUATIONS.values()))[0]
    first_line = [
        t for t in ctx.rules.treatment_options(setting) if ctx.content.therapies[t].kind == "tki" and t != NOT_OFFERED
    ]
    if PONATINIB in first_line or TRANSPLANT not in ctx.rules.treatment_options(setting):
        raise QuizError(f"{PONATINIB} is an option for {setting}-phase CML, or transplant is not: no distractor")
    resisted = ctx.rules.t315i_resistant()
    failed = None
    if situation == "new":
        key_id = rng.choice(first_line)
        others = [PONATINIB, TRANSPLANT, *FILLERS]
    else:
        # The first TKI lost is one the variant resists; the inhibitor offered is another.
        failed = rng.choice(resisted)
        left = [t for t in resisted if t != failed]
        # S11-final-bank (6): hydroxyurea and interferon alfa were never the key; after a TKI
        # every other first-line inhibitor the variant resists takes their place, each the key
        # of a newly diagnosed item.
        rng.shuffle(left)
        resisted_offered = rng.choice([t for t in left if t != IMATINIB])
        if situation == "t315i":
            # R-bank-fix19 (4): three inhibitors the variant resists fell to one sentence, leaving
            # ponatinib against transplant; now one of them, imatinib at a higher dose and
            # hydroxyurea, each wrong by its own sentence (interferon alfa, in a T315I relapse,
            # tempted no one: S11-final-bank).
            key_id = PONATINIB
            others = [resisted_offered, HIGHER_DOSE_IMATINIB, "hydroxyurea", TRANSPLANT]
        else:
            # S12-final-bank-A (3): ponatinib, which the stem rules out, and three inhibitors that
            # fall to one sentence left two options. Now each distractor needs its own sentence of
            # the summary: one inhibitor the variant resists (not imatinib), imatinib at a higher
            # dose (studied after imatinib failure, L984, yet resisted too, L990), hydroxyurea
            # (palliative, L453) and interferon alfa (not among the options for relapsed CML).
            key_id = TRANSPLANT
            others = [resisted_offered, HIGHER_DOSE_IMATINIB, *FILLERS]
    case = {"setting": setting, "situation": situation, "options": [key_id, *others]}
    # Ponatinib is offered to no one older than content's oldest patient on it (R-lead-A: an
    # 89-year-old with T315I), and every stem's patient, "fit for any treatment", is of an age a
    # transplant team reviews.
    high = min(ctx.content.patients.oldest_on_ponatinib_years, ctx.content.patients.transplant_age_years.high)
    if key_id == TRANSPLANT:  # R-final-bank-A (item 15): a 75-year-old keyed to transplant
        high = min(high, OLDEST_OFFERED_TRANSPLANT_YEARS)
    who = ctx.patient(rng, high=high)
    # Every stem says whether a sibling is HLA-matched, so the sentence points to no key. Before
    # ponatinib has failed, a patient with one is past the age at which the summary has early BMT
    # considered, so a transplant is no second answer (R-lead-A); past ponatinib a sibling matches.
    limit = ctx.content.management.transplant.consider_early_below_age
    # R-bank-fix15-r3: a matched sibling told only where transplant was keyed marked it; now a
    # matched unrelated donor comes in every situation, and a sibling never past ponatinib alone.
    # R-bank-fix19 (7): with a third of items past ponatinib, a sibling there is rarer and one
    # elsewhere (past the early-BMT age) commoner, so it marks transplant no more than half the time.
    # R-bank-fix19 read 2 (4): no one searches for an unrelated donor at diagnosis of chronic
    # phase, when an inhibitor comes first: a newly diagnosed patient has a sibling or none.
    donors = {
        "new": ["none"],
        "t315i": ["none", "unrelated"],
        "after-ponatinib": ["sibling", "unrelated", "unrelated", "unrelated"],
    }[situation]
    if situation != "after-ponatinib" and who.age >= limit:
        donors += ["sibling", "sibling"]
    donor = rng.choice(donors)
    sibling = donor == "sibling"
    # A white count well short of hyperleukocytosis (at most half the count content/patients.yml
    # calls one), so hydroxyurea is no first step.
    low = int(ctx.content.patients.at_diagnosis.wbc_10e9_per_l.low)
    # In steps of 5 (R-bank-fix19 7: with steps of 10, three counts, a third item of one key
    # in a set found no count unlike the others).
    wbc = rng.randrange(low, int(ctx.content.patients.hyperleukocytosis_wbc_10e9_per_l / 2) + 1, 5)
    case |= {"age": who.age, "wbc": wbc, "sibling": sibling, "donor": donor, "failed": failed}
    # What the patient's age and donor say of early BMT, for the transplant reason (R-bank-fix15).
    if who.age < limit:
        donor_fact = ctx.say("donor_fact_none")
    else:
        donor_fact = ctx.say("donor_fact_older" if sibling else "donor_fact_older_none", age=who.age)
    key_text = first_line_options.expected(case, ctx)
    failed_name = failed and _therapy_text(ctx, failed).lower()
    options = []
    for option_id in case["options"]:
        text = _therapy_text(ctx, option_id)
        if option_id == key_id:
            why = ctx.say(f"why_key_{situation}", name=text, setting=setting, failed=failed_name)
        else:
            kind = "resisted" if option_id in resisted else option_id
            why = ctx.say(f"why_{kind}_{situation}", name=text, failed=failed_name, donor_fact=donor_fact, wbc=wbc)
        options.append(Option(text, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            f"vignette_{situation}",
            who=who.intro,
            setting=setting,
            wbc=wbc,
            failed=failed_name,
            donor=ctx.say(f"sibling_{'matched' if sibling else donor}"),
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say(f"explanation_{situation}"),
        learn_more=LearnMore("Treatment option overview", "sections/overview.md"),
        evidence=ctx.evidence(setting if situation == "new" else "relapsed"),
        case=case,
    )


def _therapy_text(ctx: Context, therapy_id: str) -> str:
    """An option's words: an inhibitor by its drug name alone (the next read: 'Imatinib
    mesylate', the one salt name, was offered only as the key); transplant as a treatment."""
    if therapy_id == HIGHER_DOSE_IMATINIB:
        return ctx.say("option_higher_dose_imatinib")
    therapy = ctx.content.therapies[therapy_id]
    if therapy.kind == "transplant":
        return ctx.say("option_transplant")
    return therapy.name.split()[0] if therapy.kind == "tki" else therapy.name


@first_line_options.expected
def _(case, ctx):
    allowed = _rules_allow(ctx, case.get("situation", "new"))
    if case.get("situation", "new") == "new":  # the preferred initial treatment: an inhibitor
        chosen = [t for t in case["options"] if t in allowed and ctx.content.therapies[t].kind == "tki"]
    else:  # the preferred option: transplant is among the relapsed options before ponatinib too
        chosen = [t for t in case["options"] if t == allowed[0]]
    return _therapy_text(ctx, only_one(chosen, "option the rules allow"))


@first_line_options.fits
def _(question: Question, earlier: list[Question]) -> bool:
    """No two items of a set with one key for patients of one age (R-lead-A: the same
    29-year-old woman with a count of 50 and the same key twice in 20 items; the counts are
    too few to tell items apart by)."""
    return not any(q.answer.text == question.answer.text and _alike(q.case, question.case) for q in earlier)


def _alike(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Two cases with one key read as one patient twice: of one age, or of one situation and one
    drug lost with the count or the donor the same (S11-final-bank 6: two T315I items apart only
    in age, 22 and 36; three newly diagnosed items with one key and one set of options)."""
    if one["age"] == other["age"]:
        return True
    if (one["situation"], one.get("failed")) != (other["situation"], other.get("failed")):
        return False
    return one["wbc"] == other["wbc"] or one["donor"] == other["donor"]


# --- 13. Prognostic score ---------------------------------------------------------------------------------


def _slips(score: str, case: dict[str, Any], ctx: Context) -> dict[str, float]:
    """The score as each common slip in its formula computes it, by the slip's name (the
    distractors: each a mistake a student could make with the calculator's formula, never a
    multiple of the right value). Coefficients come from content/scores.yml."""
    s = ctx.content.scores
    age, spleen, plt, blasts = case["age"], case["spleen_cm"], case["platelets"], case["blasts_pct"]
    if score == "sokal":
        k = s.sokal
        a = k.age.coefficient * (age - k.age.centre)
        sp = k.spleen.coefficient * (spleen - k.spleen.centre)
        pl = k.platelets.coefficient * ((plt / k.platelets.scale) ** 2 - k.platelets.centre)
        bl = k.blasts.coefficient * (blasts - k.blasts.centre)
        return {
            "platelets-not-squared": math.exp(
                a + sp + k.platelets.coefficient * (plt / k.platelets.scale - k.platelets.centre) + bl
            ),
            # R-bank-fix19 read 2 (2): the sum left unexponentiated showed the key's logarithm (0.00
            # beside a key of 1.00, and e raised to it gave the key), so it is gone. In its place a
            # wrong unit: the blast percentage entered as a fraction (3% as 0.03), which can carry a
            # high score down across a cut-off as the logarithm did.
            "blasts-as-fraction": math.exp(a + sp + pl + k.blasts.coefficient * (blasts / 100 - k.blasts.centre)),
            "age-not-centred": math.exp(k.age.coefficient * age + sp + pl + bl),
            "spleen-not-centred": math.exp(a + k.spleen.coefficient * spleen + pl + bl),
            "blasts-not-centred": math.exp(a + sp + pl + k.blasts.coefficient * blasts),
            # S11-bank-fix15-B (prognostic-score 1): the age term left out, and the platelet term
            # not centred, so an older patient's high score has slips below it and a low one above.
            "age-left-out": math.exp(sp + pl + bl),
            "platelets-not-centred": math.exp(a + sp + k.platelets.coefficient * (plt / k.platelets.scale) ** 2 + bl),
            "spleen-left-out": math.exp(a + pl + bl),
            "platelets-left-out": math.exp(a + sp + bl),
            "blasts-left-out": math.exp(a + sp + pl),
            "spleen-blast-weights-swapped": math.exp(
                a
                + k.blasts.coefficient * (spleen - k.spleen.centre)
                + pl
                + k.spleen.coefficient * (blasts - k.blasts.centre)
            ),
        }
    if score == "hasford":
        k = s.hasford
        exact = ctx.rules.hasford(**{a: case[a] for a in HASFORD_ARGS}).score
        indicator = k.basophils.coefficient if case["basophils_pct"] >= (k.basophils.at_least or 0) else 0
        slips = {
            "basophils-as-number": exact + k.multiplier * (k.basophils.coefficient * case["basophils_pct"] - indicator),
            "spleen-left-out": exact - k.multiplier * k.spleen.coefficient * spleen,
            "blasts-left-out": exact - k.multiplier * k.blasts.coefficient * blasts,
            "eosinophils-left-out": exact - k.multiplier * k.eosinophils.coefficient * case["eosinophils_pct"],
        }
        # A threshold ignored (S8-bank-A-2: slips students make, where the tenfold weights gave
        # values no one computing the score would reach): a term left out past its threshold (an
        # omission, like any term left out), or counted under it. R-final-bank (1): no one reading
        # platelets of 220 scores the >=1500 term, so a term is counted under its threshold only
        # where the value is near it (content/patients.yml score_threshold_slip_margin).
        margin = ctx.content.patients.score_threshold_slip_margin
        for name, value in (("age", age), ("basophils", case["basophils_pct"]), ("platelets", plt)):
            term = getattr(k, name)
            cut = term.at_least or 0
            if value >= cut:
                if name != "platelets":  # platelets of 1,500 or more are seldom drawn in chronic phase
                    slips[f"{name}-left-out"] = exact - k.multiplier * term.coefficient
            elif cut - value <= margin[HASFORD_INPUT_OF[name]]:
                slips[f"{name}-counted-under-threshold"] = exact + k.multiplier * term.coefficient
        # R-final-bank (1): in place of the far thresholds, a differential's line misread for
        # another (the lines sit together): the eosinophils entered as blasts, or the blasts or
        # the basophils entered as eosinophils; each can overshoot as the far thresholds did, so a
        # low key is not the lowest value for want of high ones. (The eosinophils entered as
        # basophils gives what the basophil term left out or counted gives, so it is not offered.)
        eosinophils, basophils = case["eosinophils_pct"], case["basophils_pct"]
        slips["eosinophils-for-blasts"] = exact + k.multiplier * k.blasts.coefficient * (eosinophils - blasts)
        slips["blasts-for-eosinophils"] = exact + k.multiplier * k.eosinophils.coefficient * (blasts - eosinophils)
        slips["basophils-for-eosinophils"] = exact + k.multiplier * k.eosinophils.coefficient * (
            basophils - eosinophils
        )
        # The blast and eosinophil weights swapped (R-bank-fix20 2: the platelet term scaled by
        # the count over its threshold was no slip anyone makes by hand, and is gone).
        slips["blast-eosinophil-weights-swapped"] = exact + k.multiplier * (
            (k.eosinophils.coefficient - k.blasts.coefficient) * blasts
            + (k.blasts.coefficient - k.eosinophils.coefficient) * eosinophils
        )
        return slips
    if score == "eutos":
        b, w = case["basophils_pct"], s.eutos
        return {
            "weights-swapped": w.spleen.coefficient * b + w.basophils.coefficient * spleen,
            "spleen-left-out": w.basophils.coefficient * b,
            "basophils-left-out": w.spleen.coefficient * spleen,
            "basophil-weight-for-both": w.basophils.coefficient * (b + spleen),
            "spleen-weight-for-both": w.spleen.coefficient * (b + spleen),
            "spleen-in-both-terms": (w.basophils.coefficient + w.spleen.coefficient) * spleen,
            "basophils-in-both-terms": (w.basophils.coefficient + w.spleen.coefficient) * b,
            # The wrong line of the differential read for basophils: slips that can overshoot as
            # well as undershoot, so the key is not the lowest value for want of high ones (S6-A).
            "eosinophils-for-basophils": w.basophils.coefficient * case["eosinophils_pct"]
            + w.spleen.coefficient * spleen,
            "blasts-for-basophils": w.basophils.coefficient * case["blasts_pct"] + w.spleen.coefficient * spleen,
        }
    k = s.elts
    exact = ctx.rules.elts(age, spleen, plt, blasts).score
    platelets = k.platelets.coefficient * (plt / k.platelets.divisor) ** k.platelets.power
    aged = k.age.coefficient * (age / k.age.divisor) ** k.age.power
    blast_term = k.blasts.coefficient * blasts
    # S11-bank-fix15-B (prognostic-score 1): every slip below left out a positive term or shrank
    # one, so the key was the largest ELTS value in every item. These slips overshoot as often:
    # the inverse taken for the inverse square root (a platelet count under 1000 gives more), and
    # a differential's other line read for the blasts. (R-final-bank 1: "the blast weight used for
    # the spleen too" was a copying error hard to believe, and is gone; the two weights swapped
    # stays.)
    return {
        "platelets-inverse": exact - platelets + k.platelets.coefficient * (plt / k.platelets.divisor) ** -1,
        "eosinophils-for-blasts": exact - blast_term + k.blasts.coefficient * case["eosinophils_pct"],
        "basophils-for-blasts": exact - blast_term + k.blasts.coefficient * case["basophils_pct"],
        "platelets-without-power": exact - platelets + k.platelets.coefficient * plt / k.platelets.divisor,
        "platelets-power-positive": exact
        - platelets
        + k.platelets.coefficient * (plt / k.platelets.divisor) ** -k.platelets.power,
        "age-squared": exact - aged + k.age.coefficient * (age / k.age.divisor) ** (k.age.power - 1),
        "age-left-out": exact - aged,
        "spleen-left-out": exact - k.spleen.coefficient * spleen,
        "blasts-left-out": exact - k.blasts.coefficient * blasts,
        "platelets-left-out": exact - platelets,
        "spleen-blast-weights-swapped": exact
        + (k.blasts.coefficient - k.spleen.coefficient) * spleen
        + (k.spleen.coefficient - k.blasts.coefficient) * blasts,
    }


HASFORD_ARGS = ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct")
# A Hasford threshold term's input, by the term's name.
HASFORD_INPUT_OF = {"age": "age", "basophils": "basophils_pct", "platelets": "platelets"}
SCORE_DIGITS = {"sokal": 2, "hasford": 0, "eutos": 0, "elts": 2}
# Two options printed within this share of each other test nothing (S7-C: 520 beside 522).
NEAR_TWIN_SHARE = 0.03


def _in_grey_zone(score: str, case: dict[str, Any], ctx: Context) -> bool:
    """Whether a case sits so near a cut-off that any one input, off by as much as it may be
    (content/patients.yml score_input_uncertainty: a differential's count, a palpated spleen),
    would change its risk group (S7-C: ELTS 1.5597 against the 1.5680 cut). The margin is the
    score's own sensitivity to its inputs, so none is written here."""
    risk = ctx.rules.score_risk  # bound once: a case asks it a dozen times, an item some thousands
    group = risk(score, _score_value(score, case, ctx))
    reads = INPUTS[score]
    for name, off in ctx.content.patients.score_input_uncertainty.items():
        if name not in reads:
            continue  # an input the score does not read moves it nowhere
        for value in (case[name] - off, case[name] + off):
            if value >= 0 and risk(score, _score_value(score, case | {name: value}, ctx)) != group:
                return True
    return False


def _on_a_cut_as_shown(score: str, value: float, ctx: Context) -> bool:
    """Whether a value, printed at the option's digits, reads as a cut-off printed alike, so a
    student cannot check the group beside it (S7-C: ELTS '1.57, intermediate' against 1.5680)."""
    digits = SCORE_DIGITS[score]
    shown = round(value, digits)
    for group in getattr(ctx.content.scores, score).groups:  # a loop: asked for every slip of every case
        if group.upper is not None and shown == round(group.upper, digits):
            return True
    return False


def _score_value(score: str, case: dict[str, Any], ctx: Context) -> float:
    """The score unrounded, its inputs unchecked: they are drawn inside content's ranges, and an
    item computes thousands of scores as it rejects patients (checking them was most of it)."""
    return score_value(ctx.content, score, case)


def _score_number(score: str, value: float) -> str:
    digits = SCORE_DIGITS[score]
    return f"{value:.{digits}f}" if digits else f"{round(value)}"


def _score_text(ctx: Context, score: str, value: float, risk: str) -> str:
    return ctx.say("option", value=_score_number(score, value), risk=risk)


@template(
    "prognostic-score",
    "Prognostic score and risk group, computed by hand",
    "scores",
    "histopathology",
    examines=(
        "computing a prognostic score by hand from the score's own publication (not the summary),"
        " then checking it with the site's calculator"
    ),
    learners=("resident", "fellow"),
)
def prognostic_score(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    score = rng.choice(["sokal", "hasford", "eutos", "elts"])  # drawn once: rejections do not tilt the mix
    model = getattr(ctx.content.scores, score)
    groups = [g.risk for g in model.groups]
    # S8-bank-A-2 (prognostic-score 2, 3): the key's group was the commonest among the options in
    # 18 of 20 items, and Sokal keys were high in 5 of 6, ELTS keys low in 4 of 5. Now the key's
    # group is drawn evenly among the groups a fair case can key (_group_shapes); the five
    # options' groups are as even as five can be (2, 2 and 1 over three groups, or 3 and 2 over
    # two where the slips from that group reach only one other); and the key is alone in its
    # group, or shares it, as often as any one option is. So neither the key's group across items
    # nor the count of options in it points to the key.
    # S11-bank-fix15-B (prognostic-score 1, 2): the ELTS key was the largest value in every item,
    # and the key shared its group with two of four distractors in 14 of 20. Now the key's place
    # among the ordered values is drawn first, evenly, then a group whose even spread can put the
    # key there (a low key sits low), then how many options share the key's group: alone or with
    # one other where three groups are offered (so no group is the majority), and with one other
    # more often than with two where two are.
    shapes = _group_shapes(score, ctx)
    wanted = rng.randrange(5)  # the key's place among the ordered values, A to E

    def sharings(group: str, spread: list[int]) -> list[int]:
        return [n for n in sorted(set(spread)) if wanted in _key_places(groups.index(group), len(groups), spread, n)]

    target = rng.choice(
        [g for g in sorted(shapes, key=groups.index) if sharings(g, shapes[g])] or sorted(shapes, key=groups.index)
    )

    def plan(spread: list[int]) -> tuple[list[int], int]:
        """The spread, and the options in the key's group (the key's among them): the fewer
        where the place allows either."""
        allowed = sharings(target, spread) or sorted(set(spread))
        share = FEWER_SHARING_OF_THREE if len(groups) == 3 and len(spread) == 2 else FEWER_SHARING[len(spread)]
        fewer = len(allowed) == 1 or rng.random() < share
        return spread, allowed[0] if fewer else allowed[-1]

    # Three groups offered where this case's slips reach both others and the place allows it:
    # then no group holds most of the options. Else the group's own spread.
    spread_plans = [plan(shapes[target])]
    if len(groups) == 3 and shapes[target] != THREE_GROUPS and sharings(target, THREE_GROUPS):
        spread_plans.insert(0, plan(THREE_GROUPS))

    def draw(strict: bool, placed_only: bool, even: list[int], sharing: int) -> Question | None:
        who = ctx.patient(rng)
        values = ctx.at_diagnosis(rng)
        case = {"score": score, "age": float(who.age)} | {k: v for k, v in values.items() if k != "wbc"}
        exact = _score_value(score, case, ctx)
        true_risk = ctx.rules.score_risk(score, exact)
        digits = SCORE_DIGITS[score]
        if true_risk != target or _in_grey_zone(score, case, ctx) or _on_a_cut_as_shown(score, exact, ctx):
            return None

        # No slip far past the top cut-off (a value no patient has, struck out at sight).
        ceiling = max(2 * model.groups[-2].upper, 1.5 * exact)

        def fair(value: float) -> bool:
            # Positive, printed apart from the right value by at least a tenth of it, under the
            # ceiling, and in the group its printed figure falls in (rounding moves nothing
            # across a cut-off).
            shown = round(value, digits)
            return (
                0 < value <= ceiling
                and abs(value - exact) >= 0.1 * exact
                and ctx.rules.score_risk(score, shown) == ctx.rules.score_risk(score, value)
                and not _on_a_cut_as_shown(score, value, ctx)
            )

        every_slip = _slips(score, case, ctx)
        # R-bank-fix19 (1): a value two slips give alike had one slip's reason where a student
        # may have made the other (EUTOS, 44: the spleen term alone, or the basophils in both
        # terms); such values are not offered.
        printed = Counter(round(v, digits) for v in every_slip.values())
        slips = {name: v for name, v in every_slip.items() if fair(v) and printed[round(v, digits)] == 1}
        # Each value's group and printed figure, found once: the sets of four below reuse them.
        risk_of = {name: ctx.rules.score_risk(score, v) for name, v in slips.items()}
        shown_of = {name: round(v, digits) for name, v in slips.items()}
        fits = []
        spread_fits: dict[tuple[str, ...], bool] = {}  # by the five groups: a few, over many sets
        for chosen in itertools.combinations(sorted(slips), 4):
            risks = (true_risk, *(risk_of[n] for n in chosen))
            if risks not in spread_fits:
                spread = sorted(n for n in (risks.count(g) for g in groups) if n)
                spread_fits[risks] = spread == even and not (strict and risks.count(true_risk) != sharing)
            if not spread_fits[risks]:
                continue
            values_here = [exact, *(slips[n] for n in chosen)]
            shown = sorted([round(exact, digits), *(shown_of[n] for n in chosen)])
            if any(b - a <= NEAR_TWIN_SHARE * abs(b) for a, b in zip(shown, shown[1:])):
                continue  # two values print alike, or nearly
            # R-bank-fix19 (1): EUTOS keys that were the sum of two options (its two terms, each
            # offered as the other left out: 48 + 14 = 62) were found without arithmetic.
            if _two_add_up_to(round(exact, digits), [shown_of[n] for n in chosen], digits):
                continue
            fits.append((sorted(values_here).index(exact), list(chosen)))
        if not fits:
            return None
        placed = [c for place, c in fits if place == wanted]
        if placed_only and not placed:
            return None
        chosen = rng.choice(placed or [c for _, c in fits])
        rng.shuffle(chosen)
        case["slips"] = chosen
        said = {"exact": _score_number(score, exact), "true_risk": true_risk}
        # The working, term by term (S7-C and the next read: 'The formula gives 2.20' left a
        # student who slipped unable to find the term that went wrong).
        # A score shown whole whose terms are not whole shows them to a decimal (R-lead-A: Hasford
        # terms rounded whole added up to one more than the total printed beside them).
        terms = ctx.rules.score_terms(score, case)
        whole = all(float(value).is_integer() for _, value in terms)
        term_digits = 3 if digits else 0 if whole else 1
        working = [f"{value:.{term_digits}f} ({name})" for name, value in terms]
        key_why = ctx.say(
            f"why_key{'_sokal' if score == 'sokal' else ''}", value=said["exact"], risk=true_risk, working=working
        )
        options = [Option(_score_text(ctx, score, exact, true_risk), key_why)]
        for name in chosen:
            value = slips[name]
            risk = ctx.rules.score_risk(score, value)
            why = ctx.say(
                "why_slip", slip=ctx.say(f"slip_{score}_{name}"), value=_score_number(score, value), risk=risk, **said
            )
            options.append(Option(_score_text(ctx, score, value, risk), why))
        values = [exact, *(slips[n] for n in chosen)]
        key, distractors = options[0], options[1:]
        # In order, rising or falling (either is a logical order): few slips overshoot a low key,
        # so the key is seldom the lowest value, and one direction alone would leave A seldom
        # keyed (the item lint's balance of key letters).
        ordered = [
            _score_text(ctx, score, v, ctx.rules.score_risk(score, v))
            for v in sorted(values, reverse=rng.random() < 0.5)
        ]
        spleen = case["spleen_cm"]
        return assemble(
            rng,
            key,
            distractors,
            ordered=ordered,
            vignette=ctx.say(
                "vignette_cited" if model.summary_ref else "vignette",
                score=model,
                who=who.intro,
                age=case["age"],
                # S8-bank-A-2 (6): "spleen 0 cm below the costal margin" reads oddly.
                spleen=ctx.say("spleen_cm", cm=spleen) if spleen else ctx.say("spleen_not_palpable"),
                platelets=case["platelets"],
                blasts=case["blasts_pct"],
                eosinophils=case["eosinophils_pct"],
                basophils=case["basophils_pct"],
            ),
            lead_in=ctx.say("lead_in", score=model),
            explanation=ctx.say("explanation", score=model, formula=ctx.say(f"formula_{score}", score=model)),
            learn_more=LearnMore(f"{model.name} calculator", f"scores.md#{score}"),
            case=case,
        )

    # The key's group is rare for some scores at diagnosis (a Sokal low risk in about 1 draw of
    # 20), so more draws are allowed than retry() gives; and where the slips of its cases seldom
    # leave the key's group as large or as small as drawn (a Sokal low key with only one other
    # low option), the count is let go after STRICT_DRAWS. The key's place among the ordered
    # values follows from its group and the spread (a low key sits low), and over the bank each
    # letter keys about a fifth of items (tests/test_quiz_keys.py).
    for attempt in range(DRAWS):
        even, sharing = spread_plans[0] if attempt < THREE_GROUP_DRAWS else spread_plans[-1]
        question = draw(attempt < STRICT_DRAWS, attempt < PLACED_DRAWS, even, sharing)
        if question is not None:
            return question
    raise QuizError(f"no fair {score} case in the {target}-risk group")


def _two_add_up_to(key: float, values: list[float], digits: int) -> bool:
    """Whether two of the values, as printed, add up to the key as printed (to its last digit)."""
    return any(abs(a + b - key) <= 10**-digits for a, b in itertools.combinations(values, 2))


DRAWS = 3000
STRICT_DRAWS = 400
PLACED_DRAWS = 1000  # the key's place, A to E, held to first (few slips overshoot: A was rare)
# Where the key's place allows its group to hold fewer options or more, how often it holds fewer,
# by the number of groups offered: alone in its group among three (the places that allow it are
# few, and over the bank the lone option should be the key about a fifth of the time), or with one
# other among two (S11-bank-fix15-B: a key sharing its group with two distractors made that group
# the majority, and the key's, in 14 of 20; more often still, and the minority would be the cue).
FEWER_SHARING = {3: 0.4, 2: 0.65}
# R-bank-fix19 read 2 (2): with the Sokal logarithm gone, fewer high keys reach three groups, and a
# low key's slips seldom leave two low options (its count is let go after STRICT_DRAWS), so where a
# three-group score offers two, the key shares its group with one other more often: its group
# stays the majority in under 45% of the score's items. A two-group score (EUTOS) keeps 0.65, as
# more would make its minority group the cue.
FEWER_SHARING_OF_THREE = 0.75
# The even spread over three groups, tried first for this many draws where a key's group
# usually offers two (S11-bank-fix15-B: a low or high key beside slips that all reached one other
# group made the key's group, or the other, the majority).
THREE_GROUPS = [1, 2, 2]
THREE_GROUP_DRAWS = 100


def _key_places(index: int, n_groups: int, spread: list[int], sharing: int) -> set[int]:
    """The places, 0 (lowest) to 4, that a key in the group at `index` (the groups in order) can
    take among five ordered values, when the options' groups hold `spread` and its own `sharing`."""
    places: set[int] = set()
    for counts in itertools.product(range(len(LETTERS) + 1), repeat=n_groups):
        if sum(counts) != len(LETTERS) or counts[index] != sharing or sorted(c for c in counts if c) != spread:
            continue
        below = sum(counts[:index])
        places.update(range(below, below + sharing))
    return places


_SHAPES: dict[str, dict[str, list[int]]] = {}


def _group_shapes(score: str, ctx: Context) -> dict[str, list[int]]:
    """For each risk group a key can be drawn in, the even spread of the five options' groups
    its cases allow: [1, 2, 2] where slips from it reach both other groups, [2, 3] where they
    reach one. A group none of whose cases has slips reaching another is left out (ELTS low:
    its slips stay low), as a question on it would test no cut-off. Found once per score by
    drawing patients with a fixed seed, so builds stay reproducible."""
    if score not in _SHAPES:
        rng = random.Random(0)
        model = getattr(ctx.content.scores, score)
        reach: dict[str, list[set[str]]] = {g.risk: [] for g in model.groups}
        for _ in range(DRAWS):
            who, values = ctx.patient(rng), ctx.at_diagnosis(rng)
            case = {"score": score, "age": float(who.age)} | {k: v for k, v in values.items() if k != "wbc"}
            exact = _score_value(score, case, ctx)
            if _in_grey_zone(score, case, ctx):
                continue
            risk = ctx.rules.score_risk(score, exact)
            counts: dict[str, int] = {}
            for value in _slips(score, case, ctx).values():
                if value > 0 and abs(value - exact) >= 0.1 * exact:
                    other = ctx.rules.score_risk(score, value)
                    counts[other] = counts.get(other, 0) + 1
            reach[risk].append({g for g, n in counts.items() if g != risk and n >= 2})
        shapes = {}
        for risk, found in reach.items():
            if sum(len(r) >= 2 for r in found) >= len(found) / 10 and len(model.groups) == 3:
                shapes[risk] = [1, 2, 2]
            elif sum(len(r) >= 1 for r in found) >= len(found) / 10:
                shapes[risk] = [2, 3]
        _SHAPES[score] = shapes
    return _SHAPES[score]


@prognostic_score.expected
def _(case, ctx):
    value = _score_value(case["score"], case, ctx)
    return _score_text(ctx, case["score"], value, ctx.rules.score_risk(case["score"], value))


# The patient's values a vignette shows. Two items of a set sharing half of them read as one
# patient twice (S10-lead-A, items 5 and 8: age 62, no palpable spleen and platelets of 900 in
# both, only the blasts apart), and a student answers one from the other.
SHOWN = ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct")


@prognostic_score.fits
def _(question: Question, earlier: list[Question]) -> bool:
    """No two items of a set alike: three of the six values shown the same; nor one key text twice
    (S12-final-bank-B, 3: two ELTS items both keyed "1.81, intermediate risk"); nor two of one
    score with keys in one group whose inputs the score reads are close, all of them or all but
    one where it reads more than two (R-bank-fix17, 6: three EUTOS items, basophils 9% and spleens
    of 15 to 18 cm, each keyed high risk; S12-final-bank-B, 2: two Sokal women of 43 and 41,
    platelets 560 in both and blasts 4% and 5%, keyed 0.99 and 0.98)."""
    case = question.case
    if any(sum(q.case[k] == case[k] for k in SHOWN) >= len(SHOWN) // 2 for q in earlier):
        return False
    # R-bank-fix19 read 2 (3): two Sokal men of 31, both low risk, keyed 0.66 and 0.63.
    if any(q.case["score"] == case["score"] and q.case["age"] == case["age"] for q in earlier):
        return False
    if any(q.answer.text == question.answer.text for q in earlier):
        return False
    group = question.answer.text.split(", ")[-1]
    reads = INPUTS[case["score"]]
    enough = len(reads) if len(reads) <= 2 else len(reads) - 1
    if any(
        q.case["score"] == case["score"]
        and q.answer.text.split(", ")[-1] == group
        and sum(_close_input(q.case[k], case[k]) for k in reads) >= enough
        for q in earlier
    ):
        return False
    # R-bank-fix19 read 2 (1): a set of 20 keyed the lowest value 8 times (4 of 5 ELTS items),
    # though over the bank each place keys a fifth: in a set no place keys more than 6 items,
    # nor more than 2 of one score's.
    place = _key_place(question)
    placed = [q for q in earlier if _key_place(q) == place]
    return len(placed) < SET_PLACE_MOST and sum(q.case["score"] == case["score"] for q in placed) < SCORE_PLACE_MOST


SET_PLACE_MOST = 6
SCORE_PLACE_MOST = 2


def _key_place(question: Question) -> int:
    """The key's place among the options' values, 0 the lowest."""
    values = [float(o.text.rsplit(", ", 1)[0].replace(",", "")) for o in question.options]
    return sorted(values).index(values[question.key])


# Two inputs read as close when they differ by no more than this share of the larger, or by one
# unit (a percentage point of the differential, a centimetre of spleen).
CLOSE_INPUT_SHARE = 0.2


def _close_input(one: float, other: float) -> bool:
    return abs(one - other) <= max(CLOSE_INPUT_SHARE * max(one, other), 1)


_.keeps_key = False  # the key is this patient's value: a redraw is another patient, never the same text
