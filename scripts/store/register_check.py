"""What `complaints check` does: the policy, every complaint file and action file (or the
ones named), and, with a base, the append-only rules since that base. The command line only
prints the result. `require_valid` is the same check as a gate: what is published (the
site, `stats`, `report`) is made only from a register that `complaints check` accepts."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from complaints_register.core.problems import Problem, ProblemsFound
from complaints_register.store.action_files import action_paths, check_action_files, is_action_file
from complaints_register.store.check import check_files, check_policy
from complaints_register.store.forms import forms_folder, stale_forms
from complaints_register.store.ledger import Comparison, compare_with
from complaints_register.store.recorded import is_recorded_file, recorded_problems
from complaints_register.store.register import LETTERS, Register


@dataclass
class Checked:
    """Every problem found, and what was looked at (for the closing line)."""

    problems: list[Problem] = field(default_factory=list)
    complaints: int = 0
    actions: int = 0
    ledger: Comparison | None = None


def check_register(
    register: Register, paths: list[Path], base: str | None, forms: bool = True
) -> Checked:
    """Check the register (the files at `paths` when some are given); with `base`, also the
    changes since the merge base of `base` and HEAD (`UnknownRef` when `base` names nothing).
    The ledger is compared first, so that a mistyped `base` is told before the long part.
    Checking the whole register also tells what it holds that is not a register file: a
    link, a FIFO, a folder where a file belongs, a file outside the year folders, and
    (`forms`) issue forms that no longer match the policy."""
    ledger = compare_with(register, base) if base else None
    policy, problems = check_policy(register)
    if policy is None and not register.policy_is_a_file():
        # A link, a FIFO, a folder: what keys the cache (store.cache) would read it as it
        # is, and hang on a FIFO. Nothing else is checked until it is a file again.
        return Checked(problems + (ledger.problems if ledger else []), 0, 0, ledger)
    if policy is not None and policy.regime is not None:  # held to the regulator's code
        from complaints_register.store.regimes import regime_problems

        problems += regime_problems(register.policy_path, policy)
    # The policy just checked, not again; its calendar from the cache, as `show` has it
    # (building one loads `holidays`, which takes longer than the rest of a warm check)
    calendar = register.calendar(policy) if policy else None
    today = calendar.today() if calendar else date.today()
    actions = [p for p in paths if is_action_file(p)] if paths else action_paths(register)
    recorded = [p for p in paths if is_recorded_file(p)] if paths else None
    files = (
        [p for p in paths if not is_action_file(p) and not is_recorded_file(p)] if paths else None
    )
    found, count = check_files(register, policy, calendar, today, files)
    problems += found
    problems += recorded_problems(register, recorded)  # the published statistics
    if not paths:  # the whole register was listed: what it holds that it should not
        register.files_in(LETTERS)  # (the letter templates are the letters' to read)
        problems += register.stray_problems()
        if forms and policy is not None:  # the issue forms, if the repository has them
            problems += stale_forms(forms_folder(register.root), policy)
    problems += check_action_files(register, today, actions, policy)
    if ledger:
        problems += ledger.problems
    return Checked(problems, count, len(actions), ledger)


def require_valid(register: Register) -> None:
    """Refuse (`ProblemsFound`, with check's own problems) a register that `complaints check`
    refuses: nothing is published from it. The whole check, through the cache, so an
    unchanged register costs little."""
    # A stale issue form is the repository's business, not the published register's.
    problems = check_register(register, [], None, forms=False).problems
    if problems:
        raise ProblemsFound(problems)
