"""Who is who: names in `by`, `handler` and `owner` compared as people, not spellings.

With a staff roster (`staff:` in the policy) each person is a handle; a name, an e-mail
address or a GitHub login of a staff member is that member too. Without one, names are
compared with case and spacing folded, so `Marco`, `marco` and ` marco` are one person.
"""

import difflib
from collections.abc import Mapping

from complaints_register.schema.policy import StaffMember

Roster = Mapping[str, StaffMember] | None


def folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def handle_of(name: str, staff: Roster) -> str | None:
    """The handle of the staff member `name` names (their handle, name, e-mail address or
    GitHub login, in any case), or None."""
    wanted = folded(name)
    for handle, member in (staff or {}).items():
        known = (handle, member.name, *member.emails, member.github or "")
        if wanted in {folded(k) for k in known if k}:
            return handle
    return None


def person(name: str, staff: Roster) -> str:
    """What tells `name` apart from other people: the handle, else the folded name."""
    return handle_of(name, staff) or folded(name)


def off_roster(name: str, staff: Roster) -> str | None:
    """Why `name` may not stand in a `by`, `handler` or `owner` (None when it may): with a
    roster, only handles may."""
    if not staff or name in staff:
        return None
    handle = handle_of(name, staff)
    if handle is not None:
        return f"{name!r} is {staff[handle].name}: write the handle, {handle}"
    close = difflib.get_close_matches(folded(name), list(staff), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"{name!r} is not on the policy's staff roster ({hint}handles: {', '.join(staff)})"
