"""Reading a trial: which arm a hazard ratio or a difference favours, and whether chance is an
unlikely explanation."""

from __future__ import annotations

from generator.clinical.arguments import positive

# Endpoints (studies.yml measure) that patients want to reach; the others they want to avoid.
WANTED_EVENTS = ("mmr", "dmr", "response")


def hazard_ratio_reading(hr: float, ci_low: float, ci_high: float, measure: str) -> tuple[str, bool]:
    """What a two-arm hazard ratio (first arm vs. second) shows: which arm did better,
    "first" or "second", and whether its 95% confidence interval excludes 1 (chance is then
    an unlikely explanation). For an endpoint patients want to reach (a response), a ratio
    above 1 favours the first arm; for one they want to avoid (death, progression), below 1."""
    ratio = positive("hr", hr, "")
    if not 0 < ci_low <= ratio <= ci_high:
        raise ValueError(f"hr: expected inside its confidence interval {ci_low:g} to {ci_high:g}, but received {hr!r}")
    first_better = ratio > 1 if measure in WANTED_EVENTS else ratio < 1
    return ("first" if first_better else "second"), not ci_low <= 1 <= ci_high


def difference_reading(difference: float, ci_low: float, ci_high: float, measure: str) -> tuple[str, bool]:
    """What a difference between two arms (first minus second, in percentage points) shows:
    which arm did better, "first" or "second", and whether its 95% CI excludes 0. For an
    endpoint patients want to reach, a positive difference favours the first arm."""
    if not ci_low <= difference <= ci_high:
        raise ValueError(
            f"difference: expected inside its confidence interval {ci_low:g} to {ci_high:g}, "
            f"but received {difference!r}"
        )
    first_better = difference > 0 if measure in WANTED_EVENTS else difference < 0
    return ("first" if first_better else "second"), not ci_low <= 0 <= ci_high
