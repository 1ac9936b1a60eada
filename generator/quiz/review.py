"""Items laid out for an expert read (/work/shared/ITEM-REVIEW.md): each question of a
template with its key marked, every option's reason, and the case values the key came from,
so a reader who never saw the code can judge what a student sees and why the key is what it is."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.quiz.question import Question
from generator.quiz.registry import DIFFICULTIES, TEMPLATES, Context, draw


def review_items(template_id: str, ctx: Context, count: int, seed: int = 0) -> list[Question]:
    """`count` items of one template, both difficulties in turn; another seed, other cases. A
    template whose source gives fewer questions than a set (CaseTemplate.set_size) gives at most
    that many, so that a read never meets a question asked twice."""
    template = TEMPLATES[template_id]
    return list(draw(template, ctx, min(count, template.most_in_set(ctx)), f"review:{seed}"))


def review_text(template_id: str, questions: Iterable[Question]) -> str:
    """Plain text, one block per item: what a reviewer reads with the summary open."""
    template = TEMPLATES[template_id]
    lines = [f"# {template.id}: {template.title}", ""]
    if template.set_size is not None:
        lines += [
            "(One set of this template holds only as many items as the summary's stated comparisons"
            " give without asking a question or a finding twice; a longer review is cut short there.)",
            "",
        ]
    for number, q in enumerate(questions, start=1):
        # The label only where it changes the item (bank-fix19): elsewhere it told a reader nothing.
        difficulty = DIFFICULTIES[(number - 1) % len(DIFFICULTIES)]
        label = f" ({difficulty})" if template.honours_difficulty else ""
        lines += [f"## Item {number}{label}", "", q.vignette, "", q.lead_in, ""]
        for index, option in enumerate(q.options):
            mark = "*" if index == q.key else " "
            lines += [f"{mark} {q.letters[index]}. {option.text}", f"      why: {option.why}"]
        lines += ["", f"Key: {q.letters[q.key]}. {q.answer.text}"]
        lines += [f"Case: {_case_text(q.case)}"]
        if q.evidence:
            lines += [f"Evidence: {q.evidence}"]
        lines += [f"Explanation: {q.explanation}", ""]
    return "\n".join(lines)


def _case_text(case: dict[str, Any]) -> str:
    return "; ".join(f"{name} = {_value(value)}" for name, value in case.items()) or "(none)"


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return str(value)
