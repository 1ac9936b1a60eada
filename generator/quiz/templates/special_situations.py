"""Case templates on special situations: hydroxyurea dosing and transplant considerations."""

from __future__ import annotations

import random
from typing import Any

from generator.quiz.cases import patient
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble, assemble_by_text
from generator.quiz.registry import Context, template
from generator.render import format_number

# --- 11. Hydroxyurea dosing ------------------------------------------------------------------------------

HU_KEEP = "Keep the starting dose"
HU_TITRATE = "Reduce the dose and titrate to keep the WBC count within the target range"


@template("hydroxyurea-dosing", "Hydroxyurea start dose and titration", "special-situations")
def hydroxyurea_dosing(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    dosing = ctx.content.management.hydroxyurea
    who = patient(rng)
    weight = float(rng.randrange(50, 111, 5))
    target = (
        f"{format_number(dosing.target_wbc_10e9_per_l.low)}–{format_number(dosing.target_wbc_10e9_per_l.high)} × 10^9/L"
    )
    if rng.random() < 0.5:
        case = {"ask": "start", "weight_kg": weight}
        key_text = hydroxyurea_dosing.expected(case, ctx)
        per_kg = dosing.start_mg_per_kg_day
        wrong = [
            (f"{format_number(per_kg)} mg per day", "The dose is per kilogram of body weight."),
            (f"{format_number(per_kg * weight * 7)} mg per day", "That is a weekly total given daily."),
            (f"{format_number(per_kg * weight * 2)} mg per day", "Twice the usual starting dose."),
            (
                f"{format_number(dosing.reduce_below_wbc_10e9_per_l * weight)} mg per day",
                f"{format_number(dosing.reduce_below_wbc_10e9_per_l)} is the WBC level for reducing the dose, "
                "not mg/kg.",
            ),
        ]
        key = Option(key_text, f"{format_number(per_kg)} mg/kg per day × {format_number(weight)} kg.")
        distractors = [Option(t, w) for t, w in wrong if t != key_text][:4]
        vignette = (
            f"{who.intro} weighing {format_number(weight)} kg has chronic-phase CML with hyperleukocytosis; "
            "the team starts hydroxyurea to stabilize the count."
        )
        lead_in = "Which starting dose is usual?"
    else:
        wbc = (
            float(rng.randint(int(dosing.reduce_below_wbc_10e9_per_l) + 5, 80))
            if rng.random() < 0.5
            else float(
                rng.randint(int(dosing.target_wbc_10e9_per_l.low) + 2, int(dosing.reduce_below_wbc_10e9_per_l) - 1)
            )
        )
        case = {"ask": "adjust", "wbc": wbc}
        key_text = hydroxyurea_dosing.expected(case, ctx)
        whys = {
            HU_KEEP: f"Above {format_number(dosing.reduce_below_wbc_10e9_per_l)} × 10^9/L the full starting dose "
            "continues.",
            HU_TITRATE: f"Below {format_number(dosing.reduce_below_wbc_10e9_per_l)} × 10^9/L the dose is reduced and "
            f"titrated to hold the WBC count at {target}.",
            "Stop hydroxyurea for good": "The aim is to hold the count in range, not to stop.",
            "Double the dose": "Raising the dose would push the count further down.",
            "Switch to busulfan": "Hydroxyurea is superior to busulfan.",
        }
        options = [Option(t, w) for t, w in whys.items()]
        key = next(o for o in options if o.text == key_text)
        distractors = [o for o in options if o is not key]
        vignette = (
            f"{who.intro} with chronic-phase CML started hydroxyurea for hyperleukocytosis. Two weeks later the "
            f"WBC count is {format_number(wbc)} × 10^9/L."
        )
        lead_in = "What should happen to the hydroxyurea dose?"
    return assemble(
        rng,
        key,
        distractors,
        vignette=vignette,
        lead_in=lead_in,
        explanation=f"Hydroxyurea often starts at {format_number(dosing.start_mg_per_kg_day)} mg/kg per day; once the "
        f"WBC count falls below {format_number(dosing.reduce_below_wbc_10e9_per_l)} × 10^9/L it is reduced and "
        f"titrated to keep the count at {target}.",
        learn_more=LearnMore("Hydroxyurea", "sections/overview.md#hydroxyurea"),
        case=case,
    )


@hydroxyurea_dosing.expected
def _(case, ctx):
    if case["ask"] == "start":
        return f"{format_number(ctx.rules.hydroxyurea_start_dose_mg(case['weight_kg']))} mg per day"
    return HU_KEEP if ctx.rules.hydroxyurea_adjustment(case["wbc"]) == "full-dose" else HU_TITRATE


# --- 14. Transplant considerations ------------------------------------------------------------------------

PREFERRED_STORIES = {
    "blastic-presentation": "presents in blastic phase and has a matched donor",
    "t315i-ponatinib-resistant": "has the T315I variant and resistance to ponatinib",
    "intolerant-of-all": "cannot tolerate any of the available TKIs",
}
NOT_PREFERRED_STORIES = [
    "is newly diagnosed in chronic phase and responding to imatinib",
    "reached the preferred response target, MMR, on nilotinib",
    "has been in a deep molecular response for 6 years",
    "has the T315I variant and has not yet received ponatinib",
]
DONORS = {"sibling": "an HLA-matched sibling", "twin": "an identical twin", "none": "no matched sibling or twin"}


def _transplant_text(patient_case: dict[str, Any]) -> str:
    if "indication" in patient_case:
        story = PREFERRED_STORIES.get(patient_case["indication"], patient_case["indication"])
        return f"A patient who {story}"
    return f"A {patient_case['age']}-year-old in early chronic phase with {DONORS[patient_case['donor']]}"


@template("transplant", "Transplant considerations", "special-situations")
def transplant(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    t = ctx.content.management.transplant
    limit = int(t.consider_early_below_age)
    if rng.random() < 0.5:
        indication = rng.choice(t.preferred_for).id
        patients = [{"indication": indication}] + [{"indication": story} for story in NOT_PREFERRED_STORIES]
        lead_in = "For which patient is allogeneic SCT the preferred choice?"
        explanation = (
            "Allogeneic SCT is the preferred choice for certain patients presenting in blastic phase, those with a "
            "T315I variant and resistance to ponatinib, and those who cannot tolerate any of the drugs."
        )
        case = {"ask": "preferred", "patients": patients}
    else:
        patients = [
            {"age": rng.randint(20, limit - 1), "donor": rng.choice(["sibling", "twin"])},
            {"age": rng.randint(limit, 75), "donor": "sibling"},
            {"age": rng.randint(20, limit - 1), "donor": "none"},
            {"age": rng.randint(limit + 1, 80), "donor": "twin"},
        ]
        lead_in = "Which patient can consider allogeneic BMT early in chronic phase?"
        explanation = (
            f"Patients younger than {limit} years with an identical twin or an HLA-matched sibling can consider BMT "
            "early in chronic phase; results are better in younger patients."
        )
        case = {"ask": "early", "patients": patients}
    key_text = transplant.expected(case, ctx)
    options = []
    for patient_case in patients:
        text = _transplant_text(patient_case)
        why = explanation if text == key_text else "This is not a situation the summary names for it."
        options.append(Option(text, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette="A transplant team reviews patients with CML for allogeneic stem cell transplant.",
        lead_in=lead_in,
        explanation=explanation,
        learn_more=LearnMore("Allogeneic BMT or SCT", "sections/chronic.md#allogeneic-transplant"),
        case=case,
    )


@transplant.expected
def _(case, ctx):
    flags = {
        "blastic-presentation": "blastic_presentation",
        "t315i-ponatinib-resistant": "t315i_ponatinib_resistant",
        "intolerant-of-all": "intolerant_of_all",
    }
    matches = []
    for patient_case in case["patients"]:
        if case["ask"] == "preferred":
            flag = flags.get(patient_case["indication"])
            ok = ctx.rules.transplant_preferred(**{flag: True}) if flag else False
        else:
            has_donor = patient_case["donor"] != "none"
            ok = ctx.rules.early_transplant_candidate(patient_case["age"], twin_or_matched_sibling=has_donor)
        if ok:
            matches.append(_transplant_text(patient_case))
    if len(matches) != 1:
        raise QuizError(f"expected one matching patient, found {len(matches)}")
    return matches[0]
