"""The management review as a document: Markdown (for a pull request or a wiki) or a
self-contained HTML page (for printing, or a board pack). Both are made from the same plain
sections, so they always say the same; every value is escaped for the format it goes into.
"""

import html
import re
from dataclasses import dataclass, field

from complaints_register.core.figures import mean_score
from complaints_register.core.problems import terminal_safe
from complaints_register.core.review import OUTCOMES, Review, Timeliness

SCORES = (1, 2, 3, 4, 5)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    title: str
    parts: list[str | Table] = field(default_factory=list)
    """Paragraphs (plain text) and tables, in order."""


def sections(r: Review) -> list[Section]:
    """The review's sections, in the order they are read."""
    return [
        _summary(r),
        _volumes(r),
        _timeliness(r),
        _outcomes(r),
        _categories(r),
        _recurring(r),
        _escalations(r),
        _satisfaction(r),
        _handlers(r),
        _actions(r),
    ]


def title(r: Review) -> str:
    return f"Management review of complaints: {r.organisation}, {r.period.start} to {r.period.end}"


NOTICE = (
    "Internal: this review names handlers and action owners. It is for the people who run"
    " the organisation and is never published; the public statistics are anonymised."
)


def _summary(r: Review) -> Section:
    ack, resp = _first_stage(r, "acknowledge"), _first_stage(r, "respond")
    overdue_actions = sum(a.overdue for a in r.actions)
    satisfied = r.satisfied[True]
    closures = sum(r.satisfied.values())
    return Section(
        "Summary",
        [
            f"Figures as of {r.period.end}, the last day of the period. {r.received} complaint(s)"
            f" received; {r.open_at_end} open at the end of the period.",
            f"Stage 1: {ack.within} of {ack.done} acknowledgement(s) within target"
            f" ({_percent(ack.share)}); {resp.within} of {resp.done} response(s) within target"
            f" ({_percent(resp.share)}).",
            f"{len(r.escalated)} escalated to an internal review;"
            f" {sum(len(ids) for ids in r.referred.values())} referred to an external body;"
            f" {satisfied} of {closures} closure(s) with the complainant satisfied.",
            f"Improvement actions: {r.actions_opened} opened and {r.actions_done} done in the"
            f" period; {overdue_actions} overdue at its end.",
        ],
    )


def _first_stage(r: Review, step: str) -> Timeliness:
    return next(t for t in r.timeliness if t.stage == 1 and t.step == step)


def _volumes(r: Review) -> Section:
    rows = [
        [m.month, str(m.received), str(m.responded), str(m.closed), str(m.escalated)]
        for m in r.months
    ]
    rows.append(
        ["Total"]
        + [
            str(sum(getattr(m, key) for m in r.months))
            for key in ("received", "responded", "closed", "escalated")
        ]
    )
    return Section(
        "Volumes by month",
        [
            "Complaints received in each month, and the responses, closures and escalations"
            " recorded in it.",
            Table(["Month", "Received", "Responses", "Closed", "Escalated"], rows),
        ],
    )


def _timeliness(r: Review) -> Section:
    rows = [
        [
            str(t.stage),
            t.step,
            str(t.done),
            str(t.within),
            _percent(t.share),
            number(t.median),
            number(t.p90),
            str(t.overdue),
            str(t.very_overdue),
        ]
        for t in r.timeliness
    ]
    return Section(
        "Timeliness",
        [
            "Steps done in the period, within their target or late by the deadline rules, and the"
            " working days each took from the start of its clock (time waiting for the complainant"
            " included). Overdue: steps not done and past due on the last day of the period."
            " The 90th percentile is the nearest-rank one.",
            Table(
                [
                    "Stage",
                    "Step",
                    "Done",
                    "Within target",
                    "Share",
                    "Median working days",
                    "90th percentile",
                    "Overdue at end",
                    "Very overdue at end",
                ],
                rows,
            ),
        ],
    )


def _outcomes(r: Review) -> Section:
    rows = [
        [o, str(r.outcomes[1][o]), str(r.outcomes[2][o]), str(r.outcomes[1][o] + r.outcomes[2][o])]
        for o in OUTCOMES
    ]
    remedies = [
        [remedy, str(count)]
        for remedy, count in sorted(r.remedies.items(), key=lambda i: (-i[1], i[0]))
    ]
    parts: list[str | Table] = [
        "Responses sent in the period, by outcome and stage.",
        Table(["Outcome", "Stage 1", "Stage 2", "Total"], rows),
    ]
    parts += [Table(["Remedy", "Responses"], remedies)] if remedies else ["No remedies were given."]
    return Section("Outcomes and remedies", parts)


def _categories(r: Review) -> Section:
    if not r.categories:
        return Section("Categories", ["No complaints were received in the period."])
    rows = [
        [
            str(rank),
            c.category,
            str(c.count),
            f"{c.share}%",
            f"{c.cumulative}%",
            "yes" if c.vital else "",
        ]
        for rank, c in enumerate(r.categories, 1)
    ]
    return Section(
        "Categories",
        [
            "Complaints received in the period by category, most frequent first (Pareto). The"
            " vital few are the categories that together make up 80% of complaints: start there.",
            Table(["Rank", "Category", "Complaints", "Share", "Cumulative", "Vital few"], rows),
        ],
    )


def _recurring(r: Review) -> Section:
    if not r.recurring:
        return Section(
            "Recurring problems",
            ["No category was complained about in two consecutive months of the period."],
        )
    months = r.period.months
    rows = [[x.category, *(str(x.by_month[m]) for m in months), str(x.run)] for x in r.recurring]
    return Section(
        "Recurring problems",
        [
            "Categories complained about in two or more consecutive months of the period:"
            " candidates for a corrective or preventive action.",
            Table(["Category", *months, "Consecutive months"], rows),
        ],
    )


def _escalations(r: Review) -> Section:
    parts: list[str | Table] = [
        f"Escalated to an internal review (stage 2): {len(r.escalated)}"
        + (f" ({', '.join(r.escalated)})." if r.escalated else ".")
    ]
    if r.referred:
        parts.append(
            Table(
                ["External body", "Referred", "Complaints"],
                [[body, str(len(ids)), ", ".join(ids)] for body, ids in r.referred.items()],
            )
        )
    else:
        parts.append("No complaint was referred to an external body.")
    return Section("Escalations and referrals", parts)


def _satisfaction(r: Review) -> Section:
    closures = Table(
        ["Closed", "Complaints"],
        [
            ["satisfied", str(r.satisfied[True])],
            ["not satisfied", str(r.satisfied[False])],
            ["not known", str(r.satisfied[None])],
        ],
    )
    parts: list[str | Table] = [
        "Complaints closed in the period, by whether the complainant was satisfied"
        " with the outcome.",
        closures,
    ]
    if r.scores:
        parts.append(
            f"Satisfaction with how the complaint was handled (surveys in the period,"
            f" 1 to 5): {len(r.scores)} answer(s), mean {mean_score(r.scores):.1f}."
        )
        parts.append(
            Table(["Score", "Answers"], [[str(s), str(r.scores.count(s))] for s in SCORES])
        )
    else:
        parts.append("No satisfaction survey was answered in the period.")
    return Section("Satisfaction", parts)


def _handlers(r: Review) -> Section:
    if not r.handlers:
        return Section("Late and overdue, by handler", ["Nothing was late or overdue."])
    rows = [
        [
            h.handler,
            str(h.late_acknowledgements),
            str(h.late_responses),
            str(h.overdue),
            str(h.very_overdue),
            ", ".join(sorted(h.complaints)),
        ]
        for h in r.handlers
    ]
    return Section(
        "Late and overdue, by handler",
        [
            "Steps done late in the period, and steps overdue on its last day, by the handler of"
            " the stage (unassigned: no handler named yet).",
            Table(
                [
                    "Handler",
                    "Late acknowledgements",
                    "Late responses",
                    "Overdue at end",
                    "Very overdue at end",
                    "Complaints",
                ],
                rows,
            ),
        ],
    )


def _actions(r: Review) -> Section:
    if not r.actions:
        return Section("Improvement actions", ["No improvement action was open in the period."])
    rows = [
        [
            a.action.id,
            a.action.kind,
            a.action.owner,
            str(a.action.opened),
            str(a.action.due),
            str(a.done or ""),
            a.state,
            ", ".join(a.action.complaints),
            a.action.what,
        ]
        for a in r.actions
    ]
    return Section(
        "Improvement actions",
        [
            "Corrective and preventive actions open at any time in the period, with their state"
            " on its last day.",
            Table(
                ["Action", "Kind", "Owner", "Opened", "Due", "Done", "State", "Complaints", "What"],
                rows,
            ),
        ],
    )


def _percent(value: int | None) -> str:
    return "-" if value is None else f"{value}%"


def number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if value == int(value) else f"{value:.1f}"


# Markdown

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", terminal_safe(text.replace("\n", " ")))


def markdown(r: Review) -> str:
    lines = [f"# {_md(title(r))}", "", _md(NOTICE), ""]
    for section in sections(r):
        lines += [f"## {_md(section.title)}", ""]
        for part in section.parts:
            lines += (_md_table(part) if isinstance(part, Table) else [_md(part)]) + [""]
    return "\n".join(lines)


def _md_table(table: Table) -> list[str]:
    return ["| " + " | ".join(map(_md, table.header)) + " |", "|" + "---|" * len(table.header)] + [
        "| " + " | ".join(_md(cell) if cell else " " for cell in row) + " |" for row in table.rows
    ]


# HTML

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.notice { border-left: 4px solid #b00; padding-left: 0.75rem; }
@media print { body { margin: 0; max-width: none; } }
"""


def _html(text: str) -> str:
    """Text escaped for HTML, its control characters shown (the page may be read in a
    terminal before it reaches a browser)."""
    return html.escape(terminal_safe(text))


def html_page(r: Review) -> str:
    """A self-contained page: no script, no font, nothing fetched from anywhere."""
    e = _html
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(title(r))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(title(r))}</h1>",
        f'<p class="notice">{e(NOTICE)}</p>',
    ]
    for section in sections(r):
        out.append(f"<h2>{e(section.title)}</h2>")
        for part in section.parts:
            out.append(_html_table(part) if isinstance(part, Table) else f"<p>{e(part)}</p>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _html_table(table: Table) -> str:
    e = _html
    head = "".join(f'<th scope="col">{e(cell)}</th>' for cell in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
