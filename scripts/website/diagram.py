"""The complaints process as a diagram: an SVG drawn at build time, in one language.

The main path runs down the middle; at "are you satisfied?" it forks: "yes" leads to
closing, "no" to the internal review and then to outside bodies. In a right-to-left
language the fork is mirrored, so that the path reads from the reading side.
"""

import textwrap
from html import escape

from complaints_register.text.wording import PolicyWords
from complaints_register.website.words import direction, phrases

WIDTH = 720
BOX_WIDTH = 300
LINE_HEIGHT = 19
CHARACTERS_PER_LINE = 34
GAP = 34
_RTL = ' direction="rtl"'


def process_steps(words: PolicyWords, language: str) -> list[str]:
    """The steps of the process, in order, as sentences (the diagram's text alternative)."""
    said = phrases(language)["process"]
    duration = {(s.stage, s.step, s.priority): s.duration for s in words.timeline}
    return [
        said["you_complain"],
        said["recorded"],
        said["acknowledged"].format(duration=duration[(1, "acknowledge", None)]),
        said["assessed"],
        said["responded"].format(
            normal=duration[(1, "respond", "normal")], urgent=duration[(1, "respond", "urgent")]
        ),
        said["satisfied"],
        f"{said['answer_yes']}: {said['closed']}",
        f"{said['answer_no']}: "
        + said["review"].format(
            acknowledge=duration[(2, "acknowledge", None)],
            respond=duration[(2, "respond", "normal")],
        ),
        said["outside"],
    ]


def process_list(words: PolicyWords, language: str) -> str:
    """The steps as an ordered list, beside the diagram."""
    return "\n".join(f"1. {escape(step, quote=False)}" for step in process_steps(words, language))


# A narrower drawing for phones, so that its text is not shrunk below 12 CSS pixels: the
# same steps in boxes almost as wide as a phone, and the fork's two boxes side by side.
NARROW = {"width": 360, "box": 336, "characters": 36, "fork_box": 172, "fork_characters": 17}
WIDE = {
    "width": WIDTH,
    "box": BOX_WIDTH,
    "characters": CHARACTERS_PER_LINE,
    "fork_box": BOX_WIDTH,
    "fork_characters": CHARACTERS_PER_LINE,
}


def process_svg(words: PolicyWords, language: str) -> str:
    """The diagram twice, wide for large screens and narrow for phones (the style sheet
    shows one of them), each inline SVG with a title and a description."""
    return _process_svg(words, language, WIDE, "") + _process_svg(
        words, language, NARROW, "-narrow"
    )


def _process_svg(words: PolicyWords, language: str, size: dict[str, int], suffix: str) -> str:
    said = phrases(language)["process"]
    steps = process_steps(words, language)
    rtl = direction(language) == "rtl"
    width, box_width, characters = size["width"], size["box"], size["characters"]
    fork = {"box_width": size["fork_box"], "characters": size["fork_characters"]}
    centre = width / 2
    if suffix:  # side by side, each box's own width from the edge
        left, right = size["fork_box"] / 2 + 4, width - size["fork_box"] / 2 - 4
    else:
        left, right = width / 4 + 10, 3 * width / 4 - 10
    yes_x, no_x = (right, left) if rtl else (left, right)
    shapes, arrows, y = [], [], 20
    # The main path: five steps and the question, one under the other.
    for index, text in enumerate(steps[:6]):
        kind = "question" if index == 5 else "step"
        box, height = _box(centre, y, text, kind, rtl, box_width, characters)
        shapes.append(box)
        if index:
            arrows.append(_arrow(centre, y - GAP, centre, y))
        y += height + GAP
    fork_top = y - GAP
    # The fork: "yes" to closing; "no" to the review, then to outside bodies.
    yes_box, _ = _box(yes_x, y + 14, said["closed"], "end", rtl, **fork)
    no_box, no_height = _box(no_x, y + 14, steps[7].split(": ", 1)[1], "step", rtl, **fork)
    shapes += [yes_box, no_box]
    arrows += [
        _arrow(centre, fork_top, yes_x, y + 14, said["answer_yes"], rtl),
        _arrow(centre, fork_top, no_x, y + 14, said["answer_no"], rtl),
    ]
    outside_y = y + 14 + no_height + GAP
    outside_box, outside_height = _box(no_x, outside_y, said["outside"], "end", rtl, **fork)
    shapes.append(outside_box)
    arrows.append(_arrow(no_x, y + 14 + no_height, no_x, outside_y))
    height = outside_y + outside_height + 20
    description = " ".join(f"{number}. {step}" for number, step in enumerate(steps, start=1))
    kind = "process-narrow" if suffix else "process-wide"
    return (
        f'<svg class="process-diagram {kind}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height:.0f}" role="img" '
        f'aria-labelledby="process-title{suffix} process-desc{suffix}" '
        f'direction="{direction(language)}">'
        f'<title id="process-title{suffix}">{escape(said["title"])}</title>'
        f'<desc id="process-desc{suffix}">{escape(description)}</desc>'
        f'<defs><marker id="process-arrow{suffix}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="arrow-head"/></marker></defs>'
        + "".join(arrows).replace("url(#process-arrow)", f"url(#process-arrow{suffix})")
        + "".join(shapes)
        + "</svg>"
    )


def _box(
    x_centre: float,
    top: float,
    text: str,
    kind: str,
    rtl: bool,
    box_width: int = BOX_WIDTH,
    characters: int = CHARACTERS_PER_LINE,
) -> tuple[str, int]:
    lines = textwrap.wrap(text, characters) or [""]
    height = len(lines) * LINE_HEIGHT + 20
    left = x_centre - box_width / 2
    rounding = 24 if kind == "end" else 6
    tspans = "".join(
        f'<tspan x="{x_centre:.0f}" dy="{LINE_HEIGHT if i else 0}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    first_baseline = top + 10 + LINE_HEIGHT * 0.8
    return (
        f'<g class="process-{kind}"><rect x="{left:.0f}" y="{top:.0f}" width="{box_width}" '
        f'height="{height:.0f}" rx="{rounding}"/>'
        f'<text x="{x_centre:.0f}" y="{first_baseline:.0f}" text-anchor="middle"'
        f"{_RTL if rtl else ''}>{tspans}</text></g>",
        height,
    )


def _arrow(x1: float, y1: float, x2: float, y2: float, label: str = "", rtl: bool = False) -> str:
    line = (
        f'<path class="process-line" d="M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}" '
        'marker-end="url(#process-arrow)"/>'
    )
    if not label:
        return line
    mid_x, mid_y = (x1 + x2) / 2, (y1 + y2) / 2 - 6
    return line + (
        f'<text class="process-label" x="{mid_x:.0f}" y="{mid_y:.0f}" text-anchor="middle"'
        f"{_RTL if rtl else ''}>{escape(label)}</text>"
    )
