"""The base model and the small value types every model shares."""

from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints


class Model(BaseModel):
    """Unknown keys are errors, and a loaded model is never changed in place."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, StringConstraints(min_length=1)]
"""Free text typed by a person: any non-empty string."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A lowercase name with hyphens, as categories and channels are written."""

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
"""A two-letter ISO 639-1 language code."""


T = TypeVar("T")


def unique(values: list[T]) -> list[T]:
    """A validator for lists whose items may each appear once."""
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return values
