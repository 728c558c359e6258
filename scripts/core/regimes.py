"""Regimes: a regulator's complaint-handling code, as data (DESIGN.md section 11).

A regime file (`complaints_register/regimes/NAME.yaml`, read by `store.regimes`) states,
per stage, the limits the code sets on acknowledging, responding and extending, each with
the clause it comes from, and the external body a complainant may turn to. A limit with a
clause is a rule: a policy that names the regime (`regime: NAME`) is held to it by `check`
(`regime_findings`, one small function per rule). A limit without a clause is a starting
point only (`iso10002`, which fixes no numbers): `complaints init --regime` writes it, and
nothing holds a policy to it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from complaints_register.core.problems import KeyPath
from complaints_register.schema.base import Model, PublicText, Slug, Text, WebAddress
from complaints_register.schema.events import Body
from complaints_register.schema.policy import CountsFrom, Days, Policy, StageTargets, Targets, Unit

__all__ = [
    "KPI_KINDS",
    "ExternalBody",
    "Limit",
    "Regime",
    "StageLimits",
    "policy_targets",
    "regime_findings",
]

KPI_KINDS = ("iso10002", "hos", "spso", "asic", "fca")
"""The figures a regime's regulator asks for (`complaints kpi`)."""

Finding = tuple[KeyPath, str]


class Limit(Model):
    """A number of days and how they count; `clause` says where the code fixes it (none:
    a starting point, not a rule)."""

    model_config = ConfigDict(
        **Model.model_config, serialize_by_alias=True, validate_by_name=True, validate_by_alias=True
    )

    days: Days
    unit: Unit = "working"
    counts_from: CountsFrom = Field("receipt", alias="from")
    clause: Text | None = None


class StageLimits(Model):
    acknowledge: Limit | None = None
    respond: Limit | None = None
    max_extension: Limit | None = None
    """Counted in the response's unit."""


class ExternalBody(Model):
    """Where a complainant may go after the last internal stage, and by when."""

    kind: Body
    name: PublicText
    website: WebAddress | None = None
    months: Annotated[int, Field(ge=1, le=120)] | None = None
    """How long after the final response the complainant has (None: not fixed)."""
    clause: Text | None = None


class Regime(Model):
    name: Slug
    title: Text
    country: str | None = None
    subdivision: str | None = None
    in_force: date | None = None
    """The day the code applies from: policy versions in force only before it are not
    held to it."""
    stages: Literal[1, 2]
    """Internal stages the code provides for."""
    stages_clause: Text | None = None
    different_person_at_stage2: bool = False
    stage1: StageLimits
    stage2: StageLimits | None = None
    summary_resolution_days: Days | None = None
    """FCA DISP 1.5: a complaint resolved by the end of this many business days after
    receipt needs only a summary resolution communication."""
    body: ExternalBody | None = None
    kpi: Literal["iso10002", "hos", "spso", "asic", "fca"]

    def stage(self, number: int) -> StageLimits | None:
        return self.stage1 if number == 1 else self.stage2


# Defaults where a regime fixes nothing (today's template: ISO 10002 sets no numbers).
_DEFAULT_ACKNOWLEDGE = {1: 2, 2: 3}
_DEFAULT_RESPOND = {1: (20, 5), 2: (20, 10)}
_DEFAULT_EXTENSION = 10


def policy_targets(regime: Regime) -> dict[str, object]:
    """The `targets` a new policy under `regime` starts from (as YAML data): each limit
    the regime sets, the template's defaults where it sets none."""
    targets: dict[str, object] = {}
    for number in (1, 2):
        limits = regime.stage(number) or StageLimits()
        stage: dict[str, object] = {}
        ack = limits.acknowledge
        stage["acknowledge"] = ack.days if ack else _DEFAULT_ACKNOWLEDGE[number]
        if ack and ack.unit != "working":
            stage["acknowledge_unit"] = ack.unit
        normal, urgent = _DEFAULT_RESPOND[number]
        respond: dict[str, object] = {"normal": normal, "urgent": urgent}
        if limits.respond:
            days = limits.respond.days
            respond = {"normal": days, "urgent": min(urgent, days)}
            if limits.respond.counts_from != "receipt":
                respond["from"] = limits.respond.counts_from
            if limits.respond.unit != "working":
                respond["unit"] = limits.respond.unit
        stage["respond"] = respond
        if limits.max_extension:
            stage["max_extension"] = limits.max_extension.days
        targets[f"stage{number}"] = stage
    targets["very_overdue_after"] = 20
    first = regime.stage1.max_extension
    targets["max_extension"] = first.days if first else _DEFAULT_EXTENSION
    return targets


def code_targets(regime: Regime) -> Targets | None:
    """The regime's own timescales as targets (urgent as normal, each stage's extension
    cap its own): what "within the code's timescales" is measured against. None when the
    regime holds no number (then the policy's own targets are the measure)."""
    held = [
        limit
        for number in (1, 2)
        for limit in (regime.stage(number) or StageLimits()).model_dump().values()
        if limit and limit.get("clause")
    ]
    if not held:
        return None
    data = policy_targets(regime)
    for number in (1, 2):
        stage = data[f"stage{number}"]
        assert isinstance(stage, dict)
        respond = stage["respond"]
        assert isinstance(respond, dict)
        respond["urgent"] = respond["normal"]
    return Targets.model_validate(data)


# The rules. Each takes what it checks and yields (path in policy.yaml, message).


@dataclass
class Held:
    """One version of a policy's targets, and where it stands in policy.yaml."""

    policy: Policy
    regime: Regime
    targets: Targets
    path: KeyPath


_UNIT_RANK = {"calendar-exact": 0, "calendar": 1, "working": 2}
"""Looser to the right: a day off counts in working days, moves a calendar date on."""
_FROM_RANK = {"receipt": 0, "acknowledgement": 1}


def _words(days: int, unit: str, counts_from: str) -> str:
    kind = {"working": "working", "calendar": "calendar", "calendar-exact": "calendar"}[unit]
    start = "the acknowledgement" if counts_from == "acknowledgement" else "receipt"
    return f"{days} {kind} day{'s' if days != 1 else ''} from {start}"


def _looser(days: int, unit: str, counts_from: str, limit: Limit) -> bool:
    return (
        days > limit.days
        or _UNIT_RANK[unit] > _UNIT_RANK[limit.unit]
        or _FROM_RANK[counts_from] > _FROM_RANK[limit.counts_from]
    )


def _refused(held: Held, what: str, found: str, limit: Limit) -> str:
    allowed = _words(limit.days, limit.unit, limit.counts_from)
    return (
        f"{found} is looser than {held.regime.name} allows for {what}: at most {allowed}"
        f" ({limit.clause})"
    )


def acknowledge_within_regime(held: Held, number: int) -> Iterator[Finding]:
    limit = (held.regime.stage(number) or StageLimits()).acknowledge
    if limit is None or limit.clause is None:
        return
    stage = held.targets.stage(number)
    unit = stage.acknowledge_unit or held.policy.calendar.days
    if _looser(stage.acknowledge, unit, "receipt", limit):
        found = _words(stage.acknowledge, unit, "receipt")
        yield (
            (*held.path, f"stage{number}", "acknowledge"),
            _refused(held, f"the stage {number} acknowledgement", found, limit),
        )


def respond_within_regime(held: Held, number: int) -> Iterator[Finding]:
    limit = (held.regime.stage(number) or StageLimits()).respond
    if limit is None or limit.clause is None:
        return
    respond = held.targets.stage(number).respond
    unit = respond.unit or held.policy.calendar.days
    for priority in ("normal", "urgent"):
        days = getattr(respond, priority)
        if _looser(days, unit, respond.counts_from, limit):
            found = _words(days, unit, respond.counts_from)
            yield (
                (*held.path, f"stage{number}", "respond", priority),
                _refused(held, f"the stage {number} response", found, limit),
            )


def extension_within_regime(held: Held, number: int) -> Iterator[Finding]:
    limit = (held.regime.stage(number) or StageLimits()).max_extension
    if limit is None or limit.clause is None:
        return
    stage: StageTargets = held.targets.stage(number)
    cap = held.targets.max_extension if stage.max_extension is None else stage.max_extension
    if cap > limit.days:
        key = "max_extension" if stage.max_extension is not None else None
        path = (*held.path, f"stage{number}", key) if key else (*held.path, "max_extension")
        yield (
            path,
            f"an extension of up to {cap} days is looser than {held.regime.name} allows at"
            f" stage {number}: at most {limit.days} ({limit.clause})",
        )


def recourse_names_body(policy: Policy, regime: Regime) -> Iterator[Finding]:
    """The regime's external body is among the policy's `recourse` (letters and the site
    name it, with its time limit)."""
    body = regime.body
    if body is None or body.clause is None:
        return
    if not any(r.name == body.name for r in policy.recourse):
        yield (
            ("recourse",),
            f"{regime.name} requires complainants to be told of the {body.name}: list it in"
            f" recourse ({{kind: {body.kind}, name: {body.name}}}) ({body.clause})",
        )


STAGE_RULES = (acknowledge_within_regime, respond_within_regime, extension_within_regime)
POLICY_RULES = (recourse_names_body,)


def held_versions(policy: Policy, regime: Regime) -> Iterator[Held]:
    """The versions of the policy's targets that the regime holds: every version in force
    on or after the day the regime applies from."""
    versions = policy.target_versions()
    dated = isinstance(policy.targets, list)
    for index, version in enumerate(versions):
        following = versions[index + 1].start if index + 1 < len(versions) else None
        if regime.in_force and following is not None and following <= regime.in_force:
            continue
        path: KeyPath = ("targets", index) if dated else ("targets",)
        yield Held(policy, regime, version, path)


def regime_findings(policy: Policy, regime: Regime) -> Iterator[Finding]:
    """Every rule's findings for a policy that names `regime`."""
    for held in held_versions(policy, regime):
        for number in range(1, regime.stages + 1):
            for rule in STAGE_RULES:
                yield from rule(held, number)
    for policy_rule in POLICY_RULES:
        yield from policy_rule(policy, regime)
