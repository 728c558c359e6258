"""A synthetic register of N complaints for the benchmarks: valid, believable, reproducible.

    .venv/bin/python -m benchmarks.generate OUT_DIR --count 100000 [--seed 7] [--policy FILE]

Writes OUT_DIR/policy.yaml (a copy of the policy) and OUT_DIR/YYYY/<ID>.yaml. Receipts are
spread over the ten years before `AS_OF` (a fixed date, so results never depend on the day
the benchmark runs); every event is dated by `AS_OF`. Each complaint is made from its own
seed (the register's seed and its number), so the register is the same whatever the number
of processes. Events follow the lifecycle's rules by construction: dates never go backwards,
a response due date comes from the policy's own calendar before an extension moves it.
"""

import argparse
import json
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import get_args

from complaints_register.schema.events import Remedy
from complaints_register.schema.ids import CROCKFORD

AS_OF = date(2026, 6, 30)
YEARS = 10
DEFAULT_POLICY = Path(__file__).resolve().parent.parent / "register" / "policy.yaml"
STAFF = ["anna", "marco", "giulia", "luca", "sara"]
REVIEWERS = ["elena", "paolo"]  # stage 2: never a stage 1 handler
REMEDIES = list(get_args(Remedy))
SUMMARIES = [
    "Double charge on the monthly invoice",
    "No water for two days without notice",
    "Rude answer at the front desk",
    "Meter reading estimated instead of read",
    "Brown water from the kitchen tap",
    "Website form lost my request",
    "Repair crew left the road dug up",
    "Bill sent in the wrong language",
    "Letter not readable with a screen reader",
    "Account details shared with a neighbour",
    "Low pressure every evening",
    "Refund promised but never paid",
]
OUTCOMES = ["upheld", "partly-upheld", "not-upheld"]

_policy_cache: dict = {}


def _weights(items: list[str]) -> list[float]:
    """Skewed weights: the policy's first values common, its last ones rare."""
    return [1.0 / (rank + 1) for rank in range(len(items))]


def _setting(policy_path: Path):
    """The policy and its calendar, read once per process."""
    if policy_path not in _policy_cache:
        from complaints_register.core.working_days import calendar_for
        from complaints_register.schema import Policy
        from complaints_register.store.register import load

        policy = load(policy_path, Policy).model
        _policy_cache[policy_path] = (policy, calendar_for(policy))
    return _policy_cache[policy_path]


class _Timeline:
    """Events appended in date order, each dated at least as late as the one before."""

    def __init__(self, rng: random.Random, start: date):
        self.rng, self.day, self.events = rng, start, []

    def after(self, low: int, high: int) -> date:
        self.day += timedelta(days=self.rng.randint(low, high))
        return self.day

    def add(self, kind: str, day: date, by: str, **fields) -> None:
        self.events.append({"type": kind, "at": day, "by": by, **fields})


def complaint(number: int, seed: int, policy_path: Path) -> tuple[str, str]:
    """(relative path, YAML text) of complaint `number` of the register made from `seed`."""
    policy, calendar = _setting(policy_path)
    rng = random.Random(seed * 1_000_003 + number)
    received = AS_OF - timedelta(days=rng.randint(1, YEARS * 365))
    hour, minute = rng.randint(7, 16), rng.randint(0, 59)  # UTC: the same date in Europe
    complaint_id = f"C-{received:%Y-%m%d}-{_suffix(number)}"
    events = _events(rng, received, policy, calendar)
    text = _yaml(complaint_id, received, hour, minute, rng, policy, events)
    return f"{received.year}/{complaint_id}.yaml", text


def _suffix(number: int) -> str:
    """Four characters that look random but differ for every number below 32**4."""
    scrambled = (number * 492_113) % 32**4  # 492113 is prime, so this is a permutation
    return "".join(CROCKFORD[(scrambled >> shift) & 31] for shift in (15, 10, 5, 0))


def _events(rng, received: date, policy, calendar) -> list[dict]:
    line = _Timeline(rng, received)
    handler = rng.choice(STAFF)
    line.add("acknowledged", line.after(0, 3), rng.choice(STAFF))
    urgent = rng.random() < 0.15
    priority = "urgent" if urgent else "normal"
    line.add("assessed", line.after(0, 2), rng.choice(STAFF), priority=priority, handler=handler)
    if rng.random() < 0.02:  # recorded in error, then retracted
        line.add("note", line.day, handler, note="Logged on the wrong complaint")
        line.add(
            "retracted",
            line.after(0, 1),
            handler,
            event=len(line.events) - 1,
            reason="Recorded on the wrong complaint",
        )
    if rng.random() < 0.08:  # more time needed: an extension, before any pause
        respond = getattr(policy.targets.stage1.respond, priority)
        current = calendar.add(received, respond)
        due = calendar.add(current, rng.randint(1, policy.targets.max_extension))
        line.add("extended", line.after(0, 5), handler, due=due, reason="Site visit needed")
    if rng.random() < 0.2:  # information asked of the complainant
        line.add("info-requested", line.after(1, 6), handler)
        if rng.random() < 0.97:
            line.add("info-received", line.after(1, 12), handler)
    if rng.random() < 0.03:
        line.add("withdrawn", line.after(1, 20), handler)
        return _until_as_of(line.events)
    if rng.random() < 0.1:
        line.add("note", line.after(0, 5), handler, note="Called back, waiting for the crew report")
    late = 40 if rng.random() < 0.06 else 0  # a few answered late
    line.add(
        "responded",
        line.after(2, 24 + late),
        handler,
        outcome=rng.choice(OUTCOMES),
        remedies=rng.sample(REMEDIES, rng.randint(0, 2)),
    )
    if rng.random() < 0.07:
        _stage2(rng, line)
    elif rng.random() < 0.9:
        line.add(
            "closed",
            line.after(1, 14),
            handler,
            satisfied=rng.choices([True, False, None], [6, 2, 2])[0],
        )
        if rng.random() < 0.02:
            line.add("reopened", line.after(1, 30), handler)
            line.add(
                "responded", line.after(2, 15), handler, outcome=rng.choice(OUTCOMES), remedies=[]
            )
            line.add("closed", line.after(1, 10), handler, satisfied=None)
    if rng.random() < 0.25:
        line.add(
            "surveyed",
            line.after(1, 10),
            "anna",
            score=rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 3])[0],
        )
    return _until_as_of(line.events, stuck=rng.random() < 0.01, rng=rng)


def _stage2(rng, line: _Timeline) -> None:
    reviewer = rng.choice(REVIEWERS)
    line.add("escalated", line.after(1, 20), "anna", handler=reviewer)
    line.add("acknowledged", line.after(0, 4), reviewer)
    line.add(
        "responded",
        line.after(3, 25),
        reviewer,
        outcome=rng.choice(OUTCOMES),
        remedies=rng.sample(REMEDIES, rng.randint(0, 1)),
    )
    if rng.random() < 0.2:
        line.add("referred", line.after(1, 30), reviewer, to=rng.choice(["ombudsman", "regulator"]))
    else:
        line.add("closed", line.after(1, 10), reviewer, satisfied=rng.choice([True, False, None]))


def _until_as_of(events: list[dict], stuck: bool = False, rng=None) -> list[dict]:
    """What had happened by AS_OF; a stuck complaint stopped early and stays overdue."""
    kept = [e for e in events if e["at"] <= AS_OF]
    if stuck and len(kept) > 2:
        kept = kept[: rng.randint(1, 2)]
    # A retraction needs the event it retracts: never cut between them.
    return [e for e in kept if e["type"] != "retracted" or e["event"] < len(kept)]


def _yaml(complaint_id, received, hour, minute, rng, policy, events) -> str:
    channel = rng.choices(policy.channels, _weights(policy.channels))[0]
    category = rng.choices(policy.categories, _weights(policy.categories))[0]
    language = rng.choices(policy.languages, _weights(policy.languages))[0]
    lines = [
        "# yaml-language-server: $schema=../../schema/json/complaint.schema.json",
        f"id: {complaint_id}",
        f"received: {received.isoformat()}T{hour:02d}:{minute:02d}:00+00:00",
        f"channel: {channel}",
        f"language: {language}",
        f"category: {category}",
        f"summary: {json.dumps(rng.choice(SUMMARIES))}",
        f"complainant: {{ref: CRM-{rng.randint(10000, 99999)}}}",
        "events:" if events else "events: []",
    ]
    lines += [f"  - {_flow(event)}" for event in events]
    return "\n".join(lines) + "\n"


def _flow(event: dict) -> str:
    parts = []
    for key, value in event.items():
        if isinstance(value, (date, int, bool)) or value is None:
            text = (
                "null"
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else value.isoformat()
                if isinstance(value, date)
                else str(value)
            )
        elif isinstance(value, list):
            text = "[" + ", ".join(value) + "]"
        elif key in ("note", "reason"):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = value
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def _write_chunk(args: tuple) -> int:
    out, numbers, seed, policy_path = args
    for number in numbers:
        relative, text = complaint(number, seed, policy_path)
        path = out / relative
        try:
            path.write_text(text, encoding="utf-8")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return len(numbers)


def generate(
    out: Path,
    count: int,
    seed: int = 7,
    policy: Path = DEFAULT_POLICY,
    processes: int | None = None,
) -> None:
    """Write a register of `count` complaints into `out` (at most 32**4 of them)."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(policy, out / "policy.yaml")
    processes = processes or (os.cpu_count() or 1)
    chunk = min(2000, max(100, count // (4 * processes)))
    work = [
        (out, range(start, min(start + chunk, count)), seed, Path(policy).resolve())
        for start in range(0, count, chunk)
    ]
    if processes == 1 or count <= chunk:
        for item in work:
            _write_chunk(item)
        return
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_write_chunk, work))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--policy", type=Path, default=DEFAULT_POLICY)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed, args.policy)


if __name__ == "__main__":
    main()
