"""Figures drawn at build time as accessible inline SVG: a title and description for screen
readers, colours from CSS classes (site.css) so they follow light, dark and print."""

from __future__ import annotations

import math
from collections.abc import Iterable

from markupsafe import Markup, escape

from generator.content import Content
from generator.render import format_number, format_pct


def _svg(figure_id: str, title: str, desc: str, width: int, height: int, body: Iterable[str]) -> Markup:
    head = (
        f'<svg class="figure figure-{figure_id}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{figure_id}-title {figure_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{figure_id}-title">{escape(title)}</title><desc id="{figure_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, cls: str = "label", anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}">{escape(text)}</text>'


def blast_scale(content: Content) -> Markup:
    """The phases on a 0–30 % blast axis, with their cut points marked."""
    phases = content.phases.phases
    cuts = [p.min_blasts_pct for p in phases[1:] if p.min_blasts_pct is not None]
    axis_max = cuts[-1] * 1.5
    left, right, width = 20, 620, 640
    x = lambda pct: left + (right - left) * min(pct, axis_max) / axis_max
    body = []
    bounds = [0.0, *cuts, axis_max]
    for index, phase in enumerate(phases):
        x0, x1 = x(bounds[index]), x(bounds[index + 1])
        body.append(f'<rect x="{x0:.1f}" y="30" width="{x1 - x0:.1f}" height="34" class="band band-{index}"/>')
        body.append(_text((x0 + x1) / 2, 52, phase.name, "band-label", "middle"))
    for cut in cuts:
        body.append(f'<line x1="{x(cut):.1f}" y1="22" x2="{x(cut):.1f}" y2="72" class="cut"/>')
        body.append(_text(x(cut), 90, format_pct(cut), "label strong", "middle"))
    body.append(_text(x(0), 90, "0%", "label", "start"))
    body.append(_text(right, 90, "… 100%", "label", "end"))
    body.append(_text(left, 16, "Blasts in peripheral blood or bone marrow (the higher value decides)", "label"))
    desc = "; ".join(
        f"{p.name}: " + (f"from {format_pct(p.min_blasts_pct)}" if p.min_blasts_pct else f"below {format_pct(cuts[0])}")
        for p in phases
    )
    return _svg("blast-scale", "Phases of CML by blast percentage", desc + ".", width, 100, body)


def response_ladder(content: Content) -> Markup:
    """Molecular response levels on a log scale from the EMR level down to the deepest level."""
    emr = content.responses.early_molecular_response
    levels = [("EMR", emr.max_bcr_abl1_is_pct, f"at {emr.at_months} months")] + [
        (r.id, r.max_bcr_abl1_is_pct, f"{format_number(r.log_reduction)}-log reduction")
        for r in content.responses.molecular_responses
    ]
    top, bottom = math.log10(levels[0][1]), math.log10(levels[-1][1])
    y = lambda pct: 30 + 260 * (top - math.log10(pct)) / (top - bottom)
    body = [f'<line x1="200" y1="{y(levels[0][1]):.1f}" x2="200" y2="{y(levels[-1][1]):.1f}" class="axis"/>']
    for name, pct, note in levels:
        yy = y(pct)
        body.append(f'<circle cx="200" cy="{yy:.1f}" r="6" class="dot"/>')
        body.append(_text(185, yy + 5, f"≤ {format_pct(pct)}", "label strong", "end"))
        body.append(_text(215, yy + 5, f"{name} ({note})", "label"))
    body.append(_text(20, 16, "BCR::ABL1 (IS), log scale: deeper responses lower down", "label"))
    desc = "; ".join(f"{name} at or below {format_pct(pct)}" for name, pct, _ in levels)
    return _svg("response-ladder", "Molecular response ladder", desc + ".", 640, 310, body)


def first_line_mmr(content: Content) -> Markup:
    """MMR rate by arm for every randomized first-line trial's MMR end points."""
    groups = [
        (study, endpoint)
        for study in content.studies.values()
        if study.first_line and study.design == "randomized"
        for endpoint in study.endpoints
        if endpoint.measure == "mmr" and endpoint.results and all(r.pct is not None or r.pcts for r in endpoint.results)
    ]
    row, gap, left, scale = 22, 30, 300, 3.0
    body, yy, lines = [], 20.0, []
    for study, endpoint in groups:
        label = f"{study.name or study.registry or study.title}: {endpoint.name}"
        body.append(_text(10, yy + 12, label, "label strong"))
        yy += row
        for result in endpoint.results:
            # Figures the summary gives for several arms without saying which is which are drawn
            # one bar each, every bar named by the group (ENESTnd's two nilotinib schedules).
            figures = result.pcts or [result.pct]
            for pct in figures:
                assert pct is not None
                body.append(_text(left - 10, yy + 14, result.arm, "label", "end"))
                width = float(pct) * scale
                body.append(f'<rect x="{left}" y="{yy + 2:.1f}" width="{width:.1f}" height="16" class="bar"/>')
                body.append(_text(left + width + 6, yy + 15, format_pct(pct), "label"))
                yy += row
            amounts = " and ".join(format_pct(pct) for pct in figures)
            lines.append(f"{label}, {result.arm}: {amounts}{' (not said which arm had which)' if result.pcts else ''}")
        yy += gap - row / 2
    desc = "; ".join(lines)
    return _svg("first-line-mmr", "MMR rates by arm in randomized first-line trials", desc + ".", 680, int(yy), body)


def options_map(content: Content) -> Markup:
    """Table 1 as four columns, one per setting, listing each option's therapies."""
    settings = content.options.settings
    col = 640 / len(settings)
    body, desc = [], []
    height = 60
    for index, entry in enumerate(settings):
        x0 = index * col + 6
        body.append(f'<rect x="{x0:.1f}" y="6" width="{col - 12:.1f}" height="30" rx="4" class="band band-{index}"/>')
        body.append(_text(x0 + (col - 12) / 2, 26, entry.name.replace(" CML", ""), "band-label", "middle"))
        yy = 56
        for option in entry.options:
            names = [content.therapies[t].name for t in option.therapies]
            for name in names:
                body.append(_text(x0 + 4, yy, f"• {name}", "label"))
                yy += 18
            yy += 8
        height = max(height, yy)
        desc.append(f"{entry.name}: " + "; ".join(o.label for o in entry.options))
    return _svg("options-map", "Treatment options by phase", ". ".join(desc) + ".", 640, int(height), body)


FIGURES = {
    "blast-scale": blast_scale,
    "response-ladder": response_ladder,
    "first-line-mmr": first_line_mmr,
    "options-map": options_map,
}
