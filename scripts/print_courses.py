"""Print whole unfolding cases as a student meets them, for an expert's read (ITEM-REVIEW.md):
`.venv/bin/python scripts/print_courses.py --count 5 --seed 1`. Each step shows what it adds,
its lead-in and options, then (below it) the key, why each option is right or wrong, and the
case values the rules computed the key from."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content import load_content  # noqa: E402
from generator.quiz.courses import BRANCHES, CLASSES, draw_course  # noqa: E402
from generator.quiz.question import LETTERS  # noqa: E402
from generator.quiz.templates import Context  # noqa: E402
from generator.quiz.templates.unfolding import unfold  # noqa: E402
from generator.rules import Rules  # noqa: E402


def _outcomes(course) -> set[str]:
    """What a course shows a reader: its ending, the variant and the answer of its last step
    (its 3-month class and ending are drawn to content's shares)."""
    ending = (course.branch, course.variant, course.stop_verdict, course.t315i_story)
    return {str(o) for o in ending if o}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--branch", choices=BRANCHES, help="only courses of this ending")
    parser.add_argument("--start", choices=CLASSES, help="only courses of this 3-month class")
    parser.add_argument(
        "--spread",
        action="store_true",
        help="courses that between them show as many branches and outcomes as --count allows",
    )
    args = parser.parse_args()
    content = load_content(ROOT / "content")
    ctx = Context(content, Rules(content))
    drawn = []
    for tried in range(1, (300 if args.spread else args.count) + 1):
        rng = random.Random(f"print:{args.seed}:{tried}")
        course = draw_course(rng, ctx, args.branch, args.start)
        drawn.append((course, rng))
    if args.spread:
        # As many courses of each 3-month class and ending as content's shares give --count
        # (largest remainders; S9-final-courses: picked for the most outcomes alone, failing
        # courses, which show more, filled 4 of 6), then, greedily, the course that shows the
        # most outcomes not shown yet.
        shape = content.patients.courses
        cells = {
            (start, branch): share * getattr(getattr(shape.branches, start), branch) / 100
            for start, share in shape.three_months.weights().items()
            for branch in BRANCHES
            if args.branch in (None, branch) and args.start in (None, start)
        }
        total = sum(cells.values())
        wanted = {cell: args.count * share / total for cell, share in cells.items()}
        quota = {cell: int(n) for cell, n in wanted.items()}
        by_remainder = sorted(wanted, key=lambda cell: wanted[cell] - quota[cell], reverse=True)
        for cell in by_remainder[: args.count - sum(quota.values())]:
            quota[cell] += 1
        seen: set[str] = set()
        chosen = []
        for _ in range(args.count):
            able = [d for d in drawn if quota.get((d[0].start, d[0].branch), 0) > 0]
            best = max(able, key=lambda d: len(_outcomes(d[0]) - seen))
            drawn.remove(best)
            chosen.append(best)
            quota[best[0].start, best[0].branch] -= 1
            seen |= _outcomes(best[0])
        drawn = chosen
    for n, (course, rng) in enumerate(drawn, start=1):
        print(f"{'=' * 78}\nCase {n}\n")
        for q in unfold(course, ctx, rng, f"case-{n}"):
            assert q.step is not None
            print(f"Step {q.step.number}. {q.step.news}\n\n  {q.lead_in}")
            for letter, option in zip(LETTERS, q.options):
                print(f"    {letter}. {option.text}")
            print(f"\n  Key: {LETTERS[q.key]}. {q.answer.text}")
            for letter, option in zip(LETTERS, q.options):
                print(f"    {letter}: {option.why}")
            print(f"  Explanation: {q.explanation}" + (f" (evidence {q.evidence})" if q.evidence else ""))
            print(f"  Case values (the key computed from them): {q.case}\n")


if __name__ == "__main__":
    main()
