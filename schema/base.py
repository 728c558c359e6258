"""The base model and the small value types every model shares."""

import re
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


class Model(BaseModel):
    """Unknown keys are errors, and a loaded model is never changed in place."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Text = Annotated[str, StringConstraints(min_length=1)]
"""Free text typed by a person: any non-empty string."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A lowercase name with hyphens, as categories and channels are written."""

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
"""A two-letter ISO 639-1 language code."""

# What published text may not hold: markup (`<`, `>`), control characters (C0, DEL and C1,
# line breaks and tabs included) and the bidirectional embeddings, overrides and isolates,
# which the site sets itself and which would reorder whatever follows them on a line. Written
# with escapes that both Python and the JSON Schema's (ECMAScript) patterns read.
NOT_PUBLIC = r"<>\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
_NOT_PUBLIC_FOUND = re.compile(f"[{NOT_PUBLIC}]")


def _public(text: str) -> str:
    found = _NOT_PUBLIC_FOUND.search(text)
    if found is None:
        return text
    char = found.group()
    if char in "<>":
        raise ValueError(
            f"{char!r} is not allowed in published text: write plain words, not markup"
        )
    raise ValueError(
        f"{char!r} is not allowed in published text: write one line of plain words, without"
        " control characters"
    )


# Each type states its pattern in the JSON Schema too, for editors; the validators say why.
PublicText = Annotated[
    Text, AfterValidator(_public), Field(json_schema_extra={"pattern": f"^[^{NOT_PUBLIC}]+$"})
]
"""Text published on the site (the organisation's name, its contact details, a recourse
body's name): one line of plain words, without markup or control characters."""

# A host (no user name before an `@`, which would hide the real host), then a path.
_WEB_ADDRESS = rf"[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#@{NOT_PUBLIC}]+([/?#][^\s{NOT_PUBLIC}]*)?"


def _web_address(text: str) -> str:
    if not re.fullmatch(_WEB_ADDRESS, text):
        raise ValueError(
            f"{text!r} is not a web address: write one that starts with https:// or http://"
            " (https://ombudsman.example.org)"
        )
    return text


WebAddress = Annotated[
    PublicText,
    AfterValidator(_web_address),
    Field(json_schema_extra={"pattern": f"^{_WEB_ADDRESS}$"}),
]
"""A published web address, linked from the site: http:// or https:// only."""

_EMAIL_ADDRESS = rf"[^\s@:/?#{NOT_PUBLIC}]+@[^\s@:/?#{NOT_PUBLIC}]+"


def _email_address(text: str) -> str:
    if not re.fullmatch(_EMAIL_ADDRESS, text):
        raise ValueError(f"{text!r} is not an e-mail address (complaints@example.org)")
    return text


EmailAddress = Annotated[
    PublicText,
    AfterValidator(_email_address),
    Field(json_schema_extra={"pattern": f"^{_EMAIL_ADDRESS}$"}),
]
"""A published e-mail address, linked from the site as a mailto: link."""


T = TypeVar("T")


def unique(values: list[T]) -> list[T]:
    """A validator for lists whose items may each appear once."""
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return values
