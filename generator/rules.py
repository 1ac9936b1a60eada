"""The summary's clinical logic, computed in one place from the thresholds in content/.

Pages, quizzes and exports call these functions; none of them writes a threshold itself.
Use Rules(content) with explicitly loaded content, or the module-level functions, which
use the repository's own content/ (loaded once, on first use).
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from generator.content import Content, load_content

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


def _percent(name: str, value: float, *, allow_zero: bool = True) -> float:
    """Validate a percentage argument; the error names the argument and its allowed range."""
    low = "0" if allow_zero else "above 0"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"{name} must be a number from {low} to 100, but received {value!r}")
    if value > 100 or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be from {low} to 100 %, but received {value!r}")
    return float(value)


class Rules:
    """The clinical rules over one set of validated content."""

    def __init__(self, content: Content):
        self.content = content

    def phase(self, blood_blasts_pct: float, marrow_blasts_pct: float | None = None) -> str:
        """Phase id ("chronic", "accelerated", "blastic") from blasts; the higher value decides."""
        blasts = _percent("blood_blasts_pct", blood_blasts_pct)
        if marrow_blasts_pct is not None:
            blasts = max(blasts, _percent("marrow_blasts_pct", marrow_blasts_pct))
        reached = [p.id for p in self.content.phases.phases if (p.min_blasts_pct or 0) <= blasts]
        return reached[-1]

    def molecular_response(self, bcr_abl1_is_pct: float) -> str:
        """Deepest molecular response level met ("MR5" … "MMR"), or "none"."""
        level = _percent("bcr_abl1_is_pct", bcr_abl1_is_pct)
        met = [r.id for r in self.content.responses.molecular_responses if level <= r.max_bcr_abl1_is_pct]
        return met[-1] if met else "none"


@functools.cache
def default_rules() -> Rules:
    """Rules over the repository's content/, loaded and validated on first use."""
    return Rules(load_content(CONTENT_DIR))


def phase(blood_blasts_pct: float, marrow_blasts_pct: float | None = None) -> str:
    """Phase of CML from blast percentages in blood and (optionally) marrow."""
    return default_rules().phase(blood_blasts_pct, marrow_blasts_pct)


def molecular_response(bcr_abl1_is_pct: float) -> str:
    """Deepest molecular response met by a BCR::ABL1 IS percentage, or "none"."""
    return default_rules().molecular_response(bcr_abl1_is_pct)
