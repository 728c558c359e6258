"""Contact details kept in the register, encrypted, and erased by destroying their key.

Where an organisation must keep a complainant's contact details in the register, they are
stored in `complainant.contact`: an ASCII-armored age block encrypted (X25519) to a key made
for that complainant alone. The key (the age identity) lives in a key folder outside the
repository, in a file named after the complaint ID. The Git history keeps every copy of the
block for ever, but destroying the one key makes all of them unreadable at once
(crypto-shredding); `complaints erase` does that and records an `erased` event.

The key folder is named by the user's configuration, in this order:
  1. the environment variable COMPLAINTS_KEYS;
  2. `keys = "/path"` in `$XDG_CONFIG_HOME/complaints/config.toml`
     (`~/.config/complaints/config.toml` when XDG_CONFIG_HOME is not set).
A folder inside a Git work tree (or inside the register) is refused: a key committed by
mistake could never be erased.
"""

import json
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrage
from pyrage import x25519
from ruamel.yaml.scalarstring import LiteralScalarString

from complaints_register.core.lifecycle import fold
from complaints_register.schema import Complaint, Policy
from complaints_register.store.files import (
    RegisterError,
    create_new,
    kind_of,
    not_a_file,
    read_raw,
    shown,
)
from complaints_register.store.record import log_event, new_complaint
from complaints_register.store.register import Register
from complaints_register.store.repository import repository_top

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

ENVIRONMENT = "COMPLAINTS_KEYS"
FIELDS = ("email", "phone", "address")
"""What a contact block holds (each optional), in the order it is printed."""


class ContactError(RegisterError):
    """A contact block that cannot be written, read or erased, and why."""


class KeyExists(ContactError, FileExistsError):
    """The complaint has a key already (a FileExistsError too: `new` draws another ID)."""


# Where the keys are.


def config_file(environ: Mapping[str, str]) -> Path:
    """The user's configuration file (it need not exist)."""
    base: str | Path = environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        base = Path(environ["HOME"]) / ".config" if environ.get("HOME") else Path.home() / ".config"
    return Path(base) / "complaints" / "config.toml"


def configured_folder(environ: Mapping[str, str]) -> Path:
    """The key folder the user's configuration names, or ContactError saying how to name one."""
    if environ.get(ENVIRONMENT):
        return Path(environ[ENVIRONMENT]).expanduser().absolute()
    path = config_file(environ)
    if not path.is_file():
        raise ContactError(
            f"no key folder is configured: set {ENVIRONMENT}=/a/folder/outside/the/repository,"
            f' or write keys = "/a/folder" in {path}'
        )
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ContactError(f"{path}: not valid TOML: {error}") from None
    unknown = sorted(set(settings) - {"keys"})
    if unknown or not isinstance(settings.get("keys"), str) or not settings["keys"]:
        raise ContactError(
            f'{path}: expected one setting, keys = "/a/folder/outside/the/repository"'
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    return (path.parent / Path(settings["keys"]).expanduser()).absolute()


def _inside(folder: Path, other: Path) -> bool:
    return folder.resolve().is_relative_to(other.resolve())


class KeyFolder:
    """The folder of per-complaint age identities: `<folder>/<ID>.key`, readable by its
    owner only."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def configured(cls, register: Register, environ: Mapping[str, str] = os.environ) -> "KeyFolder":
        """The configured key folder, refused when a commit could take it along. Its links
        are resolved first: a link outside the repository that points into it is inside."""
        named = configured_folder(environ)
        try:
            folder = named.resolve()
        except (OSError, RuntimeError) as error:  # RuntimeError: a loop of links
            raise ContactError(f"the key folder {named} cannot be found: {error}") from None
        repository = repository_top(folder)
        if repository is not None or _inside(folder, register.root):
            where = (
                f"the Git work tree {repository}"
                if repository
                else f"the register's folder {shown(register.root)}"
            )
            raise ContactError(
                f"the key folder {named} is inside {where}"
                + (f" (it is {folder})" if folder != named else "")
                + ": keys must never be"
                " committed; name a folder outside any repository"
                f" ({ENVIRONMENT} or {config_file(environ)})"
            )
        return cls(folder)

    def key_path(self, complaint_id: str) -> Path:
        return self.path / f"{complaint_id}.key"

    def holds(self, complaint_id: str) -> bool:
        """Whether anything has the name of the complaint's key (a link or other entry that
        is not a file is refused when it is read)."""
        return os.path.lexists(self.key_path(complaint_id))

    def store(self, complaint_id: str, identity: x25519.Identity) -> None:
        """Write the complaint's identity, in age's key-file format, readable by its owner
        only. FileExistsError when the complaint has a key already: a key is never replaced."""
        path = self.key_path(complaint_id)
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            create_new(
                path,
                f"# complaint: {complaint_id}\n# public key: {identity.to_public()}\n{identity}\n",
                mode=0o600,
            )
        except FileExistsError:
            raise KeyExists(f"{path} exists already: a key is never replaced") from None

    def identity(self, complaint_id: str) -> x25519.Identity:
        path = self.key_path(complaint_id)
        try:
            text = read_raw(path).decode("utf-8", "replace")
        except FileNotFoundError:
            raise ContactError(
                f"no key for {complaint_id} in {self.path} (is this the key folder"
                f" it was written with? see {ENVIRONMENT})"
            ) from None
        except OSError as error:
            raise ContactError(f"{path}: cannot read: {error.strerror}") from None
        lines = [line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-")]
        try:
            return x25519.Identity.from_str(lines[0])
        except (IndexError, pyrage.IdentityError):
            raise ContactError(f"{path}: not an age key file") from None

    def identities(self) -> list[x25519.Identity]:
        """Every key in the folder."""
        return [self.identity(p.stem) for p in sorted(self.path.glob("*.key"))]

    def destroy(self, complaint_id: str) -> None:
        """Overwrite the key file with random bytes, then remove it. A link is never
        followed (it could name any file) and nothing but a file is overwritten."""
        path = self.key_path(complaint_id)
        try:
            handle = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            raise ContactError(
                f"no key for {complaint_id} in {self.path}: nothing to destroy"
            ) from None
        except OSError as error:  # O_NOFOLLOW: ELOOP for a link
            why = not_a_file("a symbolic link") if os.path.islink(path) else error.strerror
            raise ContactError(f"{path}: cannot destroy it: {why}") from None
        with os.fdopen(handle, "r+b") as out:
            info = os.fstat(out.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ContactError(
                    f"{path}: cannot destroy it: {not_a_file(kind_of(info.st_mode))}"
                )
            out.write(os.urandom(max(info.st_size, 1)))
            out.flush()
            os.fsync(out.fileno())
        path.unlink()


# Sealing and opening a contact block.


def new_identity() -> x25519.Identity:
    return x25519.Identity.generate()


def sealed(details: dict[str, str], recipient: x25519.Recipient) -> str:
    """`details` encrypted to `recipient`, as an ASCII-armored age block."""
    plain = json.dumps({k: details[k] for k in FIELDS if details.get(k)}, ensure_ascii=False)
    armored: bytes = pyrage.encrypt(plain.encode("utf-8"), [recipient], armored=True)
    return armored.decode("ascii")


def opened(block: str, identity: x25519.Identity) -> dict[str, str]:
    """The details sealed in `block`; pyrage.DecryptError when `identity` cannot open it."""
    details: dict[str, str] = json.loads(
        pyrage.decrypt(block.encode("ascii"), [identity]).decode("utf-8")
    )
    return details


# The commands' work.


def new_with_contact(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    fields: Mapping[str, Any],
    details: dict[str, str],
    keys: KeyFolder,
) -> str:
    """Record a new complaint whose contact block holds `details`; returns its ID. The key
    is stored before the complaint is written, and removed again if that fails."""
    identity = new_identity()
    complainant = dict(fields.get("complainant") or {})
    complainant["contact"] = LiteralScalarString(sealed(details, identity.to_public()))
    return new_complaint(
        register,
        policy,
        calendar,
        {**fields, "complainant": complainant},
        before_write=lambda complaint_id: keys.store(complaint_id, identity),
        undo=keys.destroy,  # the key of a complaint that was not written
    )


def contact_of(
    complaint: Complaint, policy: Policy, calendar: "Calendar", keys: KeyFolder
) -> dict[str, str]:
    """The complaint's contact details, decrypted."""
    block = complaint.complainant.contact if complaint.complainant else None
    if not block:
        raise ContactError(f"{complaint.id} has no contact block")
    if not keys.holds(complaint.id) and fold(complaint, policy, calendar).erased:
        raise ContactError(
            f"the contact details of {complaint.id} were erased: its key is destroyed"
        )
    try:
        return opened(block, keys.identity(complaint.id))
    except pyrage.DecryptError:
        raise ContactError(
            f"the key {keys.key_path(complaint.id)} does not open the contact"
            f" block of {complaint.id}"
        ) from None


def erase(
    path: Path,
    complaint: Complaint,
    event: Mapping[str, object],
    policy: Policy,
    calendar: "Calendar",
    keys: KeyFolder,
) -> bool:
    """Destroy the complaint's key and record `event` (an `erased` event); True when a key
    was destroyed. The event is checked first: if it is refused, the key is kept."""
    has_key = keys.holds(complaint.id)
    if complaint.complainant and complaint.complainant.contact and not has_key:
        if fold(complaint, policy, calendar).erased:
            raise ContactError(f"{complaint.id} was erased already: its key is destroyed")
        raise ContactError(
            f"no key for {complaint.id} in {keys.path}, so nothing was destroyed or recorded: is"
            f" this the key folder its contact block was written with ({ENVIRONMENT})? If the"
            f" key is lost for good, record that with `complaints log {complaint.id} erased --note ...`"
        )

    def destroy() -> None:  # with the complaint file locked: no other run erases meanwhile
        if not keys.holds(complaint.id):
            raise ContactError(
                f"{complaint.id} was erased by another run a moment ago: its key is"
                " destroyed, and this run recorded nothing"
            )
        keys.destroy(complaint.id)

    log_event(path, event, policy, calendar, before_write=destroy if has_key else None)
    return has_key
