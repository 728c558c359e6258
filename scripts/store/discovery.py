"""Finding the register from wherever a command runs, the way Git finds `.git`.

From the folder a command runs in, and each folder above it in turn, the register is that
folder itself when it holds `policy.yaml` (a command run inside the register, or in one of
its year folders), else its `register/` when that holds `policy.yaml`. The search stops at
the top of the Git work tree (the folder holding `.git`), or at the root when there is none.

A folder owned by someone else is passed over, as Git passes over a repository owned by
someone else (`safe.directory`): a register another user put in `/tmp` is never taken for
the register of a command run in a folder below it.
"""

import os
import stat
from pathlib import Path

from complaints_register.store.register import POLICY_FILE

DEFAULT = Path("register")
"""The register's folder under the top of the repository, and what `--register` is when
it is not given."""


def find_register(start: Path | None = None) -> Path | None:
    """The register found from `start` (default: the current folder) upward, as a path
    relative to `start`; None when there is none."""
    here = Path.cwd() if start is None else start
    folder = here.absolute()
    for above in [folder, *folder.parents]:
        for candidate in (above, above / DEFAULT):
            if _holds_policy(candidate):
                # As short as messages need it: `register`, `.`, `..`, `../../register`.
                return Path(os.path.relpath(candidate, folder))
        if os.path.lexists(above / ".git"):
            return None  # the top of the repository: the register is never above it
    return None


def _holds_policy(folder: Path) -> bool:
    """Whether `folder` is a real folder of this user's holding a policy.yaml (not a link)."""
    try:
        info = os.stat(folder, follow_symlinks=False)
        policy = os.stat(folder / POLICY_FILE, follow_symlinks=False)
    except (OSError, ValueError):
        return False
    if info.st_uid != os.geteuid() or policy.st_uid != os.geteuid():
        return False  # someone else's register
    return stat.S_ISDIR(info.st_mode) and not stat.S_ISLNK(policy.st_mode)
