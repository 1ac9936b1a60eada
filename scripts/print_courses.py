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
from generator.quiz.courses import (  # noqa: E402
    BRANCHES,
    CLASSES,
    FAILING,
    branch_for,
    branch_shares,
    draw_course,
    draw_set,
    set_branches,
)
from generator.quiz.question import LETTERS, QuizError  # noqa: E402
from generator.quiz.templates import Context  # noqa: E402
from generator.quiz.templates.unfolding import unfold  # noqa: E402
from generator.rules import Rules  # noqa: E402

CANDIDATES = 20  # courses apart from the ones before for each place of a --spread set; the one showing most kept


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
        help="a set as a quiz version draws it (at most one failing course, none alike), varied in outcomes",
    )
    parser.add_argument(
        "--with-failure",
        action="store_true",
        help="with --spread: one course of the set fails (enriched for a reader of the failure steps; said so)",
    )
    args = parser.parse_args()
    content = load_content(ROOT / "content")
    ctx = Context(content, Rules(content))
    drawn = []
    if args.spread:
        # As a quiz version draws its courses (courses.set_branches, courses.draw_set): endings
        # with content's shares, at most one failing, no two near-clones, no key drug twice; of a
        # few candidates apart from those before, the one that shows the most outcomes not shown yet.
        among = (args.branch,) if args.branch else BRANCHES
        branches = set_branches(random.Random(f"print:{args.seed}:set"), ctx, args.count, among)
        if args.with_failure and not any(b in FAILING for b in branches):
            pick = random.Random(f"print:{args.seed}:failure")
            branches[pick.randrange(len(branches))] = branch_for(pick, ctx, FAILING)

        def shows(course, others) -> int:
            return len(_outcomes(course) - set().union(*(_outcomes(c) for c in others)))

        try:
            drawn = draw_set(ctx, branches, f"print:{args.seed}", candidates=CANDIDATES, score=shows)
        except QuizError:
            sys.exit("print_courses: no set of courses apart from each other; ask for fewer")
        print("Drawn as a quiz version draws its courses: each ending with content's shares, at most one")
        print("failing course, and no two courses alike (courses.set_flaws).")
        if args.with_failure:
            share = sum(branch_shares(ctx)[b] for b in FAILING)
            print("ENRICHED for this reading: one course is made to fail so its steps can be read; a quiz")
            print(f"version has a failing course only as content's shares give it ({share:.0f}% of courses).")
        print()
    else:
        for tried in range(1, args.count + 1):
            rng = random.Random(f"print:{args.seed}:{tried}")
            drawn.append((draw_course(rng, ctx, args.branch, args.start), rng))
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
