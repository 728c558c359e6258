"""The regime files shipped with the package (`complaints_register/regimes/NAME.yaml`), the
policy `complaints init --regime` writes from one, and `check`'s findings for a policy that
names one (the rules are in `core.regimes`)."""

import importlib.resources
from pathlib import Path

from complaints_register.core.problems import Problem, where
from complaints_register.core.regimes import Regime, policy_targets, regime_findings
from complaints_register.schema import Policy
from complaints_register.store.files import read_raw, shown
from complaints_register.store.yamlsafe import parse

__all__ = ["policy_text_for", "regime", "regime_names", "regime_problems"]

_FOLDER = "regimes"


def regime_names() -> list[str]:
    """The regimes shipped, by name, sorted."""
    folder = importlib.resources.files("complaints_register") / _FOLDER
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def regime(name: str) -> Regime:
    """The regime called `name`; ValueError naming the known ones when there is none."""
    names = regime_names()
    if name not in names:  # also keeps `..` and slashes out of the file name
        raise ValueError(f"no regime {name!r} (known: {', '.join(names)})")
    text = (
        importlib.resources.files("complaints_register") / _FOLDER / f"{name}.yaml"
    ).read_bytes()
    found = Regime.model_validate(parse(text).data)
    if found.name != name:
        raise ValueError(f"the regime file {name}.yaml calls itself {found.name!r}")
    return found


def regime_problems(policy_path: Path, policy: Policy) -> list[Problem]:
    """What `check` refuses in a policy that names a regime: a target looser than the
    regime allows, or an unknown regime; each at its line in policy.yaml."""
    if policy.regime is None:
        return []
    try:
        document = parse(read_raw(policy_path))
    except (OSError, ValueError):
        return []  # checked already: the policy was just read and validated
    try:
        found = regime(policy.regime)
    except ValueError as error:
        return [Problem(shown(policy_path), document.line_of(("regime",)), "regime", str(error))]
    return [
        Problem(shown(policy_path), document.line_of(path), where(path), message)
        for path, message in regime_findings(policy, found)
    ]


def policy_text_for(template_text: str, name: str) -> str:
    """A policy made from the template's text (already filled in) for the regime `name`:
    its targets, its external body among the recourse, and `regime: NAME`."""
    found = regime(name)
    lines = template_text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("targets:"))
    end = next(i for i, line in enumerate(lines) if line.lstrip().startswith("max_extension:"))
    targets = policy_targets(found)
    block = [
        f"regime: {found.name}              # {found.title}: `check` holds the targets to it\n"
    ]
    block.append(
        "targets:                       # days after the day the clock starts (day zero)\n"
    )
    for number in (1, 2):
        block.append(f"  stage{number}: {_flow(targets[f'stage{number}'])}\n")
    block.append(f"  very_overdue_after: {targets['very_overdue_after']}\n")
    block.append(f"  max_extension: {targets['max_extension']}\n")
    lines[start : end + 1] = block
    text = "".join(lines)
    body = found.body
    if body is not None:
        recourse = f"recourse:\n  - {{kind: {body.kind}, name: {body.name}"
        recourse += f", website: {body.website}}}\n" if body.website else "}\n"
        text = "".join(
            recourse if line.startswith("recourse: []") else line
            for line in text.splitlines(keepends=True)
        )
    return text


def _flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    return str(value)
