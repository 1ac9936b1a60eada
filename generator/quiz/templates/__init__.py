"""Every case template, one module per topic; importing this package registers them all, in
the order a course teaches them (so catalogues and help list them that way)."""
# isort: skip_file

from generator.quiz.registry import DIFFICULTIES, TEMPLATES, CaseTemplate, Context, complete, draw
from generator.quiz.templates import phases  # noqa: F401
from generator.quiz.templates import monitoring  # noqa: F401
from generator.quiz.templates import first_line  # noqa: F401
from generator.quiz.templates import stopping  # noqa: F401
from generator.quiz.templates import resistance  # noqa: F401
from generator.quiz.templates import serial_results  # noqa: F401
from generator.quiz.templates import advanced  # noqa: F401
from generator.quiz.templates import special_situations  # noqa: F401
from generator.quiz.templates import transplant_relapse  # noqa: F401
from generator.quiz.templates import trials  # noqa: F401
from generator.quiz.templates import unfolding  # noqa: F401

complete()  # every template registered above computes its key, or this import fails naming it

__all__ = ["DIFFICULTIES", "TEMPLATES", "CaseTemplate", "Context", "draw"]
