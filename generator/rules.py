"""The summary's clinical logic, computed in one place from the values in content/.

Pages, quizzes and exports call these functions; none of them writes a threshold itself.
Use Rules(content) with explicitly loaded content, or the module-level functions, which use
the repository's own content/ (loaded once, on first use). Every function is pure, and
impossible input raises ValueError naming the argument and its allowed range.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import typing
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

from generator.content import Content, load_content
from generator.models import ResponseCategory, Score, ScoreTerm, Setting

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SETTINGS: tuple[str, ...] = typing.get_args(Setting)
RESPONSES: tuple[str, ...] = typing.get_args(ResponseCategory)


# --- argument checks ---------------------------------------------------------------------
# Each kind of input states its allowed values in one phrase, used by the error message here
# and by the calculators on the site (calculator_inputs), so the page says what the rules say.

EXPECTED = {
    "percent": "from 0 to 100 %",
    "percent-above-zero": "above 0 to 100 %",
    "non-negative": "0 {unit} or more",
    "positive": "above 0 {unit}",
    "is": "0 % or more on the International Scale, whose 100 % is a baseline, not a ceiling",
    "is-above-zero": "above 0 % on the International Scale, whose 100 % is a baseline, not a ceiling",
}
# Endpoints (studies.yml measure) that patients want to reach; the others they want to avoid.
WANTED_EVENTS = ("mmr", "dmr", "response")
PONATINIB, ALLOGENEIC_SCT = "ponatinib", "allogeneic-sct"  # therapy ids in content/therapies.yml


def problem(name: str, kind: str, unit: str = "") -> str:
    """The error message for an input of this kind, with "{value}" where the value goes."""
    return f"{name} must be {EXPECTED[kind].format(unit=unit)}, but received {{value}}"


def _number(name: str, value: object, bounds: str = "") -> float:
    """value as a float; bounds ("from 0 to 100") goes into the message when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"{name} must be a number{' ' + bounds if bounds else ''}, but received {value!r}")
    return float(value)


def _percent(name: str, value: object, *, above_zero: bool = False) -> float:
    """A percentage from 0 (or above 0, where a logarithm is taken) to 100."""
    kind = "percent-above-zero" if above_zero else "percent"
    number = _number(name, value, f"{'above' if above_zero else 'from'} 0 to 100")
    if number > 100 or number < 0 or (above_zero and number == 0):
        raise ValueError(problem(name, kind).format(value=repr(value)))
    return number


def _non_negative(name: str, value: object, unit: str) -> float:
    number = _number(name, value)
    if number < 0 or math.isinf(number):
        raise ValueError(problem(name, "non-negative", unit).format(value=repr(value)))
    return number


def _positive(name: str, value: object, unit: str) -> float:
    number = _number(name, value)
    if number <= 0 or math.isinf(number):
        raise ValueError(problem(name, "positive", unit).format(value=repr(value)))
    return number


def _is_level(name: str, value: object, *, above_zero: bool = False) -> float:
    """A BCR::ABL1 level on the International Scale. 100 % is the scale's standardized baseline,
    not a ceiling: levels above it occur (a negative log reduction), so none is refused."""
    kind = "is-above-zero" if above_zero else "is"
    number = _number(name, value)
    if number < 0 or math.isinf(number) or (above_zero and number == 0):
        raise ValueError(problem(name, kind).format(value=repr(value)))
    return number


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, but received {value!r}")
    return str(value)


@dataclass(frozen=True)
class CalculatorInput:
    """One input of a calculator on the site, as content/scores.yml bounds it: the rules'
    argument name, the label the page shows, and each bound with the reason the page gives."""

    name: str
    label: str
    unit: str
    min: float
    min_exclusive: bool
    min_reason: str
    max: float | None = None
    max_reason: str | None = None
    max_exclusive: bool = False

    @property
    def expected(self) -> str:
        """The accepted values in words: "from 18 to 122 years", "above 0 days", "0 % or more"."""
        low = format_bound(self.min)
        if self.max is None:
            return f"above {low} {self.unit}" if self.min_exclusive else f"{low} {self.unit} or more"
        start = f"above {low} and up" if self.min_exclusive else f"from {low}"
        end = f"below {format_bound(self.max)}" if self.max_exclusive else format_bound(self.max)
        return f"{start} to {end} {self.unit}"

    @property
    def not_a_number(self) -> str:
        return f"{self.label}: enter a number {self.expected}."

    @property
    def too_low(self) -> str:
        return f"{self.label}: enter a number {self.expected}; {self.min_reason}."

    @property
    def too_high(self) -> str:
        return f"{self.label}: enter a number {self.expected}; {self.max_reason}."

    def problem(self, value: object) -> str | None:
        """The message for value, or None if this input accepts it."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return self.not_a_number
        if value < self.min or (self.min_exclusive and value == self.min):
            return self.too_low
        if self.max is not None and (value > self.max or (self.max_exclusive and value == self.max)):
            return self.too_high
        return None


def format_bound(value: float) -> str:
    """12.0 -> "12", 0.5 -> "0.5", 10000 -> "10 000" (as the page writes numbers)."""
    text = f"{value:,.10f}".rstrip("0").rstrip(".").replace(",", "\u202f")
    return text


# The calculators the site offers, each with the inputs of its rule, in the rule's order; their
# labels and bounds are in content/scores.yml (Rules.calculator_inputs).
CALCULATORS: dict[str, tuple[str, ...]] = {
    "sokal": ("age", "spleen_cm", "platelets", "blasts_pct"),
    "hasford": ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct"),
    "eutos": ("basophils_pct", "spleen_cm"),
    "elts": ("age", "spleen_cm", "platelets", "blasts_pct"),
    "response": ("bcr_abl1_is_pct",),
    "halving": ("first_pct", "second_pct", "days_between"),
}
SCORES: tuple[str, ...] = ("sokal", "hasford", "eutos", "elts")
# Blasts, eosinophils and basophils are shares of one white-cell count: together at most all of it.
DIFFERENTIAL = ("blasts_pct", "eosinophils_pct", "basophils_pct")


@dataclass(frozen=True)
class ScoreResult:
    """A prognostic score: its value unrounded, as published (shown: rounded half up to the
    score's published decimals), and the risk group that shown value falls in."""

    name: str
    score: float
    risk: str
    citation: str
    shown: str = ""


class Rules:
    """The clinical rules over one set of validated content."""

    def __init__(self, content: Content):
        self.content = content
        self._responses = content.responses
        self._management = content.management

    # --- phase and response ----------------------------------------------------------------

    def phase(
        self,
        blood_blasts_pct: float,
        marrow_blasts_pct: float | None = None,
        *,
        blood_promyelocytes_pct: float = 0,
        marrow_promyelocytes_pct: float = 0,
    ) -> str | None:
        """Phase id ("chronic", "accelerated", "blastic") from blasts; the higher value decides.

        Accelerated and blastic phase are blasts "in either the peripheral blood or bone marrow";
        chronic phase is blasts *and promyelocytes* below the accelerated cut point "in the
        peripheral blood and bone marrow", each counted within its own compartment. Blasts below
        that cut with blasts and promyelocytes of one compartment together at or above it meet
        neither definition: None, a case the summary leaves open (never drawn as if it were clear)."""
        counts = [(_percent("blood_blasts_pct", blood_blasts_pct), blood_promyelocytes_pct, "blood")]
        if marrow_blasts_pct is not None:
            counts.append((_percent("marrow_blasts_pct", marrow_blasts_pct), marrow_promyelocytes_pct, "marrow"))
        blasts = max(b for b, _, _ in counts)
        phases = self.content.phases.phases
        reached = [p.id for p in phases if (p.min_blasts_pct or 0) <= blasts]
        if reached[-1] == phases[0].id and any(
            b + _percent(f"{where}_promyelocytes_pct", pro) >= phases[1].min_blasts_pct for b, pro, where in counts
        ):
            return None
        return reached[-1]

    def blast_crisis(self, phase: str, signs: list[str]) -> bool:
        """Blastic phase with every blast-crisis sign content/phases.yml lists."""
        _choice("phase", phase, tuple(p.id for p in self.content.phases.phases))
        return phase == self.content.phases.phases[-1].id and all(
            sign in signs for sign in self.content.phases.blast_crisis_signs
        )

    def molecular_response(self, bcr_abl1_is_pct: float) -> str:
        """Deepest molecular response level met ("MR5" … "MMR"), or "none"."""
        level = _is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
        met = [r.id for r in self._responses.molecular_responses if level <= r.max_bcr_abl1_is_pct]
        return met[-1] if met else "none"

    def log_reduction(self, bcr_abl1_is_pct: float) -> float:
        """Logs below the 100 % baseline: log10(100 / IS%); negative above the baseline."""
        level = _is_level("bcr_abl1_is_pct", bcr_abl1_is_pct, above_zero=True)
        return math.log10(100 / level)

    def early_molecular_response(self, bcr_abl1_is_pct: float) -> bool:
        """EMR: BCR::ABL1, measured at the EMR time point of a TKI, at or below the EMR level."""
        level = _is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
        return level <= self._responses.early_molecular_response.max_bcr_abl1_is_pct

    def halving_time_days(self, first_pct: float, second_pct: float, days_between: float) -> float:
        """Days for BCR::ABL1 to halve, assuming exponential decline; inf when it does not fall."""
        first = _is_level("first_pct", first_pct, above_zero=True)
        second = _is_level("second_pct", second_pct, above_zero=True)
        days = _positive("days_between", days_between, "days")
        if second >= first:
            return math.inf
        return days * math.log(2) / math.log(first / second)

    def halving_time_favourable(self, halving_days: float) -> bool:
        """Above the EMR level at its time point, patients still did well below this halving time."""
        days = _positive("halving_days", halving_days, "days") if not math.isinf(halving_days) else math.inf
        return days < self._responses.halving_time.max_days

    def tki_discontinuation(self, years_on_tki: float, bcr_abl1_is_pct: float) -> str:
        """Who may consider stopping: "best-candidate" (in a deep enough DMR, on a TKI past the
        upper end of the summary's range of years), "not-candidate" (not that deep, or not past
        its lower end), or "uncertain" (deep enough, with years inside the range, which the
        summary leaves open)."""
        years = _non_negative("years_on_tki", years_on_tki, "years")
        level = _is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
        stop = self._management.tki_discontinuation
        if level > self.content.response(stop.depth).max_bcr_abl1_is_pct or years <= stop.min_years_on_tki:
            return "not-candidate"
        return "best-candidate" if years > stop.upper_years_on_tki else "uncertain"

    def tki_discontinuation_candidate(self, years_on_tki: float, bcr_abl1_is_pct: float) -> bool:
        """Clearly among the best candidates to consider stopping (tki_discontinuation)."""
        return self.tki_discontinuation(years_on_tki, bcr_abl1_is_pct) == "best-candidate"

    def relapse_after_stopping_pct(self, years_in_dmr: float | None = None) -> float | None:
        """The share who relapse after stopping, where the summary gives one: of all patients
        who stop (years_in_dmr None), or of those in DMR for its long-DMR years or more. For a
        shorter DMR it gives none (its overall figure is not one for that group, and it draws no
        line between them): None."""
        stop = self._management.tki_discontinuation
        if years_in_dmr is None:
            return stop.relapse_after_stopping_pct
        years = _non_negative("years_in_dmr", years_in_dmr, "years")
        return stop.long_dmr_relapse_pct if years >= stop.long_dmr_years else None

    def follow_up_after_stopping(self, test: str, every_months: float, until_years: float | None = None) -> bool:
        """Whether a plan of monitoring after stopping a TKI does what the summary requires: its
        test, at least as often as its interval at first, and not ending before the latest
        relapses it reports (until_years None: no end set)."""
        months = _positive("every_months", every_months, "months")
        follow = self._management.tki_discontinuation.follow_up
        long_enough = until_years is None or _positive("until_years", until_years, "years") > (
            follow.relapses_seen_after_years.high
        )
        return test == follow.test and months <= follow.every_months and long_enough

    def keeps_mmr_better(self, one: tuple[float, float, float], other: tuple[float, float, float]) -> bool:
        """Whether a patient who stops a TKI is likelier to keep MMR than another, by the factors
        the summary names: each patient is (years on a TKI, years in DMR on it, blood blasts %
        at diagnosis); `one` is at least as good on every factor and better on one."""
        names = ("years-on-tki", "years-in-dmr", "no-blood-blasts-at-diagnosis")
        for patient in (one, other):
            _non_negative("years_on_tki", patient[0], "years")
            _non_negative("years_in_dmr", patient[1], "years")
            _percent("blood_blasts_pct", patient[2])
        # Higher is better for the years; for blasts, none at all beats any.
        scores = [(a, b) for a, b in zip((one[0], one[1], one[2] == 0), (other[0], other[1], other[2] == 0))]
        factors = [
            score
            for name, score in zip(names, scores)
            if name in self._management.tki_discontinuation.keeps_mmr_factors
        ]
        return all(a >= b for a, b in factors) and any(a > b for a, b in factors)

    def after_stopping_relapse_step(self) -> str:
        """What re-induces nearly everyone who relapses by RT-PCR after stopping: "previous-tki"."""
        return self._management.tki_discontinuation.reinduce_with

    def pain_after_stopping(self, bcr_abl1_is_pct: float, blood_blasts_pct: float) -> str:
        """Muscle and joint pain after stopping a TKI: "withdrawal" while the molecular
        response holds (MMR or deeper) and the blood has no blasts; otherwise "relapse", to be
        worked up as such."""
        level = _is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
        blasts = _percent("blood_blasts_pct", blood_blasts_pct)
        holding = self.molecular_response(level) != "none" and blasts == 0
        return "withdrawal" if holding else "relapse"

    def after_stopping(self, bcr_abl1_is_pct: float, *, pain: bool) -> str:
        """What the latest BCR::ABL1 after stopping a TKI means: "relapse" when it has lost MMR
        (to be reinduced with the previous TKI); else, with
        muscle and joint pain, "withdrawal" (the response holds: pain_after_stopping); else
        "not-relapse" (a transcript detected in a prolonged remission is not relapse on its own)."""
        level = _is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
        if self.molecular_response(level) == "none":
            return "relapse"
        if pain:
            return self.pain_after_stopping(level, 0)
        return "not-relapse"

    def hazard_ratio_reading(self, hr: float, ci_low: float, ci_high: float, measure: str) -> tuple[str, bool]:
        """What a two-arm hazard ratio (first arm vs. second) shows: which arm did better,
        "first" or "second", and whether its 95% confidence interval excludes 1 (chance is then
        an unlikely explanation). For an endpoint patients want to reach (a response), a ratio
        above 1 favours the first arm; for one they want to avoid (death, progression), below 1."""
        ratio = _positive("hr", hr, "")
        if not 0 < ci_low <= ratio <= ci_high:
            raise ValueError(
                f"hr: expected inside its confidence interval {ci_low:g} to {ci_high:g}, but received {hr!r}"
            )
        first_better = ratio > 1 if measure in WANTED_EVENTS else ratio < 1
        return ("first" if first_better else "second"), not ci_low <= 1 <= ci_high

    def mutation_testing_indicated(self, response: str) -> bool:
        """Kinase-domain mutation analysis on treatment failure or a suboptimal response."""
        return _choice("response", response, RESPONSES) in self._management.mutation_testing.triggers

    # --- treatment ---------------------------------------------------------------------------

    def treatment_options(
        self, phase: str, *, t315i: bool = False, ponatinib_failed: bool = False, lymphoid: bool = False
    ) -> list[str]:
        """Therapy ids the summary gives for a phase (or "relapsed"): Table 1's, in its order,
        then the alternatives the setting's section reports as studied, and with lymphoid
        blasts, the therapy given for Ph chromosome-positive ALL.

        t315i drops the TKIs the variant makes resistant and adds those the section gives for
        the variant. ponatinib_failed drops ponatinib; with T315I too, allogeneic SCT comes
        first: the summary's preferred choice there."""
        _choice("phase", phase, SETTINGS)
        entry = next(s for s in self.content.options.settings if s.setting == phase)
        options = [t for option in entry.options for t in option.therapies] + entry.also_studied
        if lymphoid:
            options += entry.lymphoid_therapies
        if t315i:
            options = [t for t in options if self.content.therapies[t].t315i != "resistant"] + entry.t315i_therapies
        if ponatinib_failed:
            options = [t for t in options if t != PONATINIB]
            if t315i:
                options = [ALLOGENEIC_SCT] + [t for t in options if t != ALLOGENEIC_SCT]
        return list(dict.fromkeys(options))

    def excluded_from_trials(self, condition: str) -> list[str]:
        """Therapy ids whose trials, by the summary, excluded patients with the condition."""
        return [t.id for t in self.content.therapies.values() if condition in t.excluded_from_trials]

    def harm_of(self, harm: str) -> str:
        """The TKI (therapy id) the summary reports an adverse effect for."""
        harms = {h.id: h for h in self._management.harms}
        return harms[_choice("harm", harm, tuple(harms))].therapy

    def tki_with(self, clue: str) -> str:
        """The TKI (therapy id) that the summary gives a property to alone (management.yml tki_clues)."""
        clues = {c.id: c for c in self._management.tki_clues}
        return clues[_choice("clue", clue, tuple(clues))].therapy

    def absorption_impeded(self, history: str) -> bool:
        """Whether a patient's history may impede absorption of oral TKIs."""
        return history in self._management.absorption.impeded_by

    def allosteric_tkis(self) -> list[str]:
        """Therapy ids that bind BCR::ABL1 at the ABL1 myristoyl pocket, not the other TKIs' site."""
        return [t.id for t in self.content.therapies.values() if t.allosteric]

    def t315i_resistant(self) -> list[str]:
        """Therapy ids that the T315I variant makes resistant."""
        return [t.id for t in self.content.therapies.values() if t.t315i == "resistant"]

    def transplant_preferred(
        self,
        *,
        blastic_presentation: bool = False,
        t315i_ponatinib_resistant: bool = False,
        intolerant_of_all: bool = False,
    ) -> bool:
        """Allogeneic SCT is the preferred choice in the situations the summary names."""
        given = {
            "blastic-presentation": blastic_presentation,
            "t315i-ponatinib-resistant": t315i_ponatinib_resistant,
            "intolerant-of-all": intolerant_of_all,
        }
        return any(given.get(i.id, False) for i in self._management.transplant.preferred_for)

    def early_transplant_candidate(self, age: float, *, twin_or_matched_sibling: bool) -> bool:
        """Younger patients with an identical twin or HLA-matched sibling can consider early BMT."""
        years = _non_negative("age", age, "years")
        return twin_or_matched_sibling and years < self._management.transplant.consider_early_below_age

    def transplant_better_than_imatinib(self, phase: str, sokal_risk: str) -> bool:
        """First-line allogeneic SCT gave better survival than imatinib for this phase and
        Sokal risk group, in a study the summary reports."""
        _choice("phase", phase, SETTINGS)
        _choice("sokal_risk", sokal_risk, tuple(group.risk for group in self.content.scores.sokal.groups))
        return any(
            (entry.phase, entry.sokal_risk) == (phase, sokal_risk)
            for entry in self._management.transplant.better_than_imatinib
        )

    def accelerated_phase_approach(self, sokal_risk: str) -> str:
        """The first approach in accelerated phase: "sct-first" where a study found first-line
        transplant better than imatinib for the Sokal group, else the summary's standard
        approach, "tki-then-sct" (induce remission with a TKI; transplant for poor responses)."""
        if self.transplant_better_than_imatinib("accelerated", sokal_risk):
            return "sct-first"
        return self._management.transplant.accelerated_approach

    def advanced_phase_approach(self, phase: str, *, lymphoid: bool = False, sokal_risk: str = "low") -> str:
        """The first approach in accelerated or blastic phase: in accelerated phase,
        accelerated_phase_approach; in blastic phase, the therapy given for Ph
        chromosome-positive ALL when the blasts are lymphoid, else a TKI and then allogeneic
        SCT when feasible ("tki-then-sct-when-feasible")."""
        _choice("phase", phase, ("accelerated", "blastic"))
        if phase == "accelerated":
            return self.accelerated_phase_approach(sokal_risk)
        if lymphoid:
            entry = next(s for s in self.content.options.settings if s.setting == "blastic")
            return entry.lymphoid_therapies[0]
        return self._management.transplant.blastic_approach

    def marrow_examination(
        self,
        peripheral_blasts_pct: float,
        *,
        fever: bool = False,
        malaise: bool = False,
        enlarged_spleen: bool = False,
        rapidly_enlarging_spleen: bool = False,
    ) -> str:
        """Bone marrow testing, by the summary's two statements: "indicated" when both call for
        it, "not-indicated" when neither does, "statements-differ" otherwise (most patients
        need none). Histopathology and Phases asks for fever, malaise, a rapidly enlarging
        spleen and circulating blasts above its level, all together; General Information for
        "clinical signs of accelerated phase or blast crisis": any of fever, an enlarged spleen,
        peripheral blasts above its higher level, or blood blasts that are themselves accelerated
        phase (its cut point in content/phases.yml), so 10 % blood blasts is never "not-indicated"."""
        blasts = _percent("peripheral_blasts_pct", peripheral_blasts_pct)
        marrow = self._management.marrow_examination
        accelerated = blasts >= self.content.phases.phases[1].min_blasts_pct
        histopathology = fever and malaise and rapidly_enlarging_spleen and blasts > marrow.circulating_blasts_over_pct
        general = fever or enlarged_spleen or rapidly_enlarging_spleen or accelerated
        general = general or blasts > marrow.peripheral_blasts_over_pct
        if histopathology and general:
            return "indicated"
        return "statements-differ" if histopathology or general else "not-indicated"

    def shortens_chronic_phase(self, finding: str) -> bool:
        """Whether a finding is one the summary lists as predicting a shorter chronic phase on TKIs."""
        return finding in {f.text for f in self.content.phases.shorter_chronic_phase_factors}

    def transition_signalled(self, finding: str) -> str | None:
        """The change a new finding signals (phases.yml transition_signs): "blast-crisis",
        "accelerated", or None for a finding that signals neither."""
        signs = self.content.phases.transition_signs
        if finding in signs.blast_crisis:
            return "blast-crisis"
        return "accelerated" if finding in signs.accelerated else None

    def commonest_finding_at_diagnosis(self) -> str:
        """The commonest finding on physical examination at diagnosis."""
        finding = self.content.phases.commonest_finding
        if finding is None:
            raise ValueError("content/phases.yml names no commonest_finding")
        return finding

    def progression_rate_pct(self, years_since_diagnosis: float) -> tuple[float, float]:
        """The rate of progression from chronic phase to blast crisis the summary gives for a
        time since diagnosis, as (low, high): a range in the first years, one figure after."""
        years = _non_negative("years_since_diagnosis", years_since_diagnosis, "years")
        progression = self.content.phases.progression
        if years < progression.first_years:
            return (progression.early_rate_pct.low, progression.early_rate_pct.high)
        return (progression.later_rate_pct, progression.later_rate_pct)

    def most_sensitive_test(self) -> str:
        """The diagnostic test the summary calls the most sensitive for BCR::ABL1."""
        return self._management.diagnosis.most_sensitive

    def ph_negative_course(self, *, rearranged: bool) -> str:
        """A Ph chromosome-negative patient's likely course: "like-ph-positive" when a BCR::ABL1
        rearrangement is found (by RT-PCR or Southern blot), "like-cmml" when RT-PCR finds none."""
        return self._management.diagnosis.ph_negative_course["rearranged" if rearranged else "not-rearranged"]

    def relapse_status(self, finding: str) -> str:
        """What a finding means: relapse, overt-failure, suggests-relapse or not-relapse."""
        findings = {f.id: f for f in self._management.relapse.findings}
        return findings[_choice("finding", finding, tuple(findings))].counts_as

    # --- doses -------------------------------------------------------------------------------

    def hydroxyurea_start_dose_mg(self, weight_kg: float) -> float:
        """The usual starting daily dose for a patient's weight."""
        weight = _positive("weight_kg", weight_kg, "kg")
        return self._management.hydroxyurea.start_mg_per_kg_day * weight

    def hydroxyurea_adjustment(self, wbc_10e9_per_l: float) -> str:
        """ "full-dose" until the WBC falls below the reduction level; then "titrate" within the
        target range; "below-target" under it."""
        wbc = _non_negative("wbc_10e9_per_l", wbc_10e9_per_l, "x 10^9/L")
        dosing = self._management.hydroxyurea
        if wbc >= dosing.reduce_below_wbc_10e9_per_l:
            return "full-dose"
        return "titrate" if wbc >= dosing.target_wbc_10e9_per_l.low else "below-target"

    def dasatinib_dose_mg(self, age: float, *, pleural_effusion: bool = False) -> float:
        """The daily dose the summary's studies support: the low dose that matched the standard
        one with fewer pleural effusions, for a patient who has had one; the low start that
        suited patients past the older age; else the standard dose."""
        years = _non_negative("age", age, "years")
        dosing = self._management.dasatinib
        if pleural_effusion:
            return dosing.low_mg_daily
        return dosing.older_start_mg_daily if years > dosing.older_than_years else dosing.standard_mg_daily

    def ponatinib_dose_mg(self, bcr_abl1_is_pct: float | None = None) -> float:
        """Start dose (at the start, None, and until the response is reached), then the lower dose."""
        dosing = self._management.ponatinib
        if bcr_abl1_is_pct is None:
            return dosing.start_mg_daily
        level = _is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
        return dosing.reduced_mg_daily if level <= dosing.response_bcr_abl1_is_pct else dosing.start_mg_daily

    # --- prognostic scores -------------------------------------------------------------------

    def score_risk(self, score: str, value: float) -> str:
        """The risk group a value of the named score ("sokal", "hasford", "eutos", "elts") falls
        in, compared at the precision the score is published at (87.0000001 is EUTOS 87, low)."""
        key = _choice("score", score, SCORES)
        model = getattr(self.content.scores, key)
        return _result(model, _number("value", value)).risk

    # --- the calculators on the site ------------------------------------------------------

    def calculator_inputs(self, name: str) -> tuple[CalculatorInput, ...]:
        """A calculator's inputs with their labels and bounds from content/scores.yml; a score's
        blasts stop below the blastic-phase cut point (phases.yml)."""
        bounds = self.content.scores.calculator_inputs
        blastic = self.content.phases.phases[-1].min_blasts_pct
        inputs = []
        for arg in CALCULATORS[_choice("calculator", name, tuple(CALCULATORS))]:
            b = bounds[arg]
            spec = CalculatorInput(arg, b.label, b.unit, b.min, b.min_exclusive, b.min_reason, b.max, b.max_reason)
            if b.blastic_phase_reason and name in SCORES and blastic is not None:
                spec = dataclasses.replace(spec, max=blastic, max_exclusive=True, max_reason=b.blastic_phase_reason)
            inputs.append(spec)
        return tuple(inputs)

    def differential_message(self, name: str) -> str:
        """The message when blasts, eosinophils and basophils add up to more than 100 %."""
        labels = [i.label for i in self.calculator_inputs(name) if i.name in DIFFERENTIAL]
        later = [label[:1].lower() + label[1:] for label in labels[1:]]
        named = ", ".join([labels[0], *later[:-1]])
        return f"{named} and {later[-1]} add up to more than 100 %: they are shares of one white-cell count."

    def calculate(self, name: str, values: dict[str, object]) -> dict[str, object]:
        """What a calculator on the site shows for values: {"error", "field"} for a value it
        refuses (the message names the field by its label), or the result."""
        inputs = self.calculator_inputs(name)
        for spec in inputs:
            message = spec.problem(values.get(spec.name))
            if message:
                return {"error": message, "field": spec.name}
        args = {spec.name: float(values[spec.name]) for spec in inputs}  # type: ignore[arg-type]
        shares = [args[k] for k in DIFFERENTIAL if k in args]
        if len(shares) > 1 and sum(shares) > 100:
            last = [spec.name for spec in inputs if spec.name in DIFFERENTIAL][-1]
            return {"error": self.differential_message(name), "field": last}
        if name in SCORES:
            result = getattr(self, name)(**args)
            return {"score": result.score, "shown": result.shown, "risk": result.risk}
        if name == "response":
            level = args["bcr_abl1_is_pct"]
            return {
                "level": self.molecular_response(level),
                "logs": self.log_reduction(level) if level > 0 else None,
                "emr": self.early_molecular_response(level),
            }
        days = self.halving_time_days(**args)  # 0.0 when the fall is too steep for floating point
        return {"days": days, "favourable": days == 0 or self.halving_time_favourable(days)}

    def sokal(self, age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
        """Sokal score: exp of the whole sum (Sokal 1984)."""
        s = self.content.scores.sokal
        age, spleen, plt, blasts = _score_inputs(age, spleen_cm, platelets, blasts_pct)
        total = (
            _centred(s.age, age)
            + _centred(s.spleen, spleen)
            + s.platelets.coefficient * ((plt / s.platelets.scale) ** 2 - s.platelets.centre)
            + _centred(s.blasts, blasts)
        )
        return _result(s, math.exp(total))

    def hasford(
        self,
        age: float,
        spleen_cm: float,
        platelets: float,
        blasts_pct: float,
        eosinophils_pct: float,
        basophils_pct: float,
    ) -> ScoreResult:
        """Hasford (Euro) score (Hasford 1998)."""
        h = self.content.scores.hasford
        age, spleen, plt, blasts = _score_inputs(age, spleen_cm, platelets, blasts_pct)
        eos = _percent("eosinophils_pct", eosinophils_pct)
        baso = _percent("basophils_pct", basophils_pct)
        total = h.multiplier * (
            _indicator(h.age, age)
            + h.spleen.coefficient * spleen
            + h.blasts.coefficient * blasts
            + h.eosinophils.coefficient * eos
            + _indicator(h.basophils, baso)
            + _indicator(h.platelets, plt)
        )
        return _result(h, total)

    def eutos(self, basophils_pct: float, spleen_cm: float) -> ScoreResult:
        """EUTOS score (Hasford 2011); risk low or high."""
        e = self.content.scores.eutos
        baso = _percent("basophils_pct", basophils_pct)
        spleen = _non_negative("spleen_cm", spleen_cm, "cm")
        total = e.basophils.coefficient * baso + e.spleen.coefficient * spleen
        return _result(e, total)

    def elts(self, age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
        """ELTS score (Pfirrmann 2016)."""
        e = self.content.scores.elts
        age = _non_negative("age", age, "years")
        spleen = _non_negative("spleen_cm", spleen_cm, "cm")
        plt = _positive("platelets", platelets, "x 10^9/L")  # raised to a negative power
        blasts = _percent("blasts_pct", blasts_pct)
        total = (
            _powered(e.age, age)
            + e.spleen.coefficient * spleen
            + e.blasts.coefficient * blasts
            + _powered(e.platelets, plt)
        )
        return _result(e, total)


def _score_inputs(age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> tuple[float, ...]:
    return (
        _non_negative("age", age, "years"),
        _non_negative("spleen_cm", spleen_cm, "cm"),
        _non_negative("platelets", platelets, "x 10^9/L"),
        _percent("blasts_pct", blasts_pct),
    )


def _centred(term: ScoreTerm, value: float) -> float:
    return term.coefficient * (value - term.centre)


def _indicator(term: ScoreTerm, value: float) -> float:
    assert term.at_least is not None
    return term.coefficient if value >= term.at_least else 0.0


def _powered(term: ScoreTerm, value: float) -> float:
    base = value / term.divisor
    if base == 0 and term.power < 0:  # a value so small it underflows: the term grows without bound
        return math.inf
    return term.coefficient * base**term.power


def at_precision(value: float, decimals: int) -> Decimal:
    """value rounded half up to decimals places, from its exact binary value: what JavaScript's
    Number.prototype.toFixed gives, so the site's calculators and the rules round alike."""
    with localcontext() as context:
        context.prec = 400  # room for any finite double's whole digits
        return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _result(model: Score, score: float) -> ScoreResult:
    """The group of score at its published precision, and the score shown at that precision."""
    if math.isfinite(score):
        rounded = at_precision(score, model.decimals)
        shown, compared = f"{rounded:f}", float(rounded)
    else:
        shown, compared = str(score), score
    for group in model.groups:
        if group.upper is None or compared < group.upper or (group.inclusive and compared == group.upper):
            return ScoreResult(model.name, score, group.risk, model.citation, shown)
    raise AssertionError("the last group has no upper bound")  # guaranteed by content validation


@functools.cache
def default_rules() -> Rules:
    """Rules over the repository's content/, loaded and validated on first use."""
    return Rules(load_content(CONTENT_DIR))


def phase(
    blood_blasts_pct: float,
    marrow_blasts_pct: float | None = None,
    *,
    blood_promyelocytes_pct: float = 0,
    marrow_promyelocytes_pct: float = 0,
) -> str | None:
    """Phase of CML from blasts and promyelocytes in blood and (optionally) marrow; None where
    the summary's definitions leave the case open."""
    return default_rules().phase(
        blood_blasts_pct,
        marrow_blasts_pct,
        blood_promyelocytes_pct=blood_promyelocytes_pct,
        marrow_promyelocytes_pct=marrow_promyelocytes_pct,
    )


def molecular_response(bcr_abl1_is_pct: float) -> str:
    """Deepest molecular response met by a BCR::ABL1 IS percentage, or "none"."""
    return default_rules().molecular_response(bcr_abl1_is_pct)


def log_reduction(bcr_abl1_is_pct: float) -> float:
    """log10(100 / IS%)."""
    return default_rules().log_reduction(bcr_abl1_is_pct)


def early_molecular_response(bcr_abl1_is_pct: float) -> bool:
    """Whether a BCR::ABL1 value at the EMR time point is an early molecular response."""
    return default_rules().early_molecular_response(bcr_abl1_is_pct)


def halving_time_days(first_pct: float, second_pct: float, days_between: float) -> float:
    """BCR::ABL1 halving time in days (inf when the level does not fall)."""
    return default_rules().halving_time_days(first_pct, second_pct, days_between)


def tki_discontinuation(years_on_tki: float, bcr_abl1_is_pct: float) -> str:
    """Whether a patient may consider stopping the TKI: best-candidate, uncertain or not-candidate."""
    return default_rules().tki_discontinuation(years_on_tki, bcr_abl1_is_pct)


def marrow_examination(peripheral_blasts_pct: float, **signs: bool) -> str:
    """Whether marrow testing is indicated by both of the summary's statements, neither, or one."""
    return default_rules().marrow_examination(peripheral_blasts_pct, **signs)


def treatment_options(phase: str, *, t315i: bool = False, ponatinib_failed: bool = False) -> list[str]:
    """Therapy ids for a phase or "relapsed"."""
    return default_rules().treatment_options(phase, t315i=t315i, ponatinib_failed=ponatinib_failed)


def sokal(age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
    """Sokal score and risk group."""
    return default_rules().sokal(age, spleen_cm, platelets, blasts_pct)


def hasford(
    age: float, spleen_cm: float, platelets: float, blasts_pct: float, eosinophils_pct: float, basophils_pct: float
) -> ScoreResult:
    """Hasford (Euro) score and risk group."""
    return default_rules().hasford(age, spleen_cm, platelets, blasts_pct, eosinophils_pct, basophils_pct)


def eutos(basophils_pct: float, spleen_cm: float) -> ScoreResult:
    """EUTOS score and risk group (low or high)."""
    return default_rules().eutos(basophils_pct, spleen_cm)


def elts(age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
    """ELTS score and risk group."""
    return default_rules().elts(age, spleen_cm, platelets, blasts_pct)


PUBLIC_API = (
    phase,
    molecular_response,
    log_reduction,
    early_molecular_response,
    halving_time_days,
    tki_discontinuation,
    marrow_examination,
    treatment_options,
    sokal,
    hasford,
    eutos,
    elts,
)
