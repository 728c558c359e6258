"""What lets `complaints --help` answer at once: choices and options that come from the
models, worked out only when a command is parsed.

Importing pydantic and defining the models takes longer than everything else `--help`
does. The list of commands needs none of it; `complaints log` needs the event types (its
TYPE choices and its options come from them) only once it runs or shows its own help.
"""

from collections.abc import Callable, Iterable, Sequence
from importlib import import_module
from types import ModuleType
from typing import Any

import click


class LazyChoice(click.Choice[str]):
    """A click.Choice whose choices are asked of `choices()` when first needed."""

    def __init__(self, choices: Callable[[], Iterable[str]], case_sensitive: bool = True):
        self._make: Callable[[], Iterable[str]] | None = choices
        self._choices: tuple[str, ...] = ()
        super().__init__((), case_sensitive)

    @property  # type: ignore[override]  # click's is a plain attribute
    def choices(self) -> Sequence[str]:
        if self._make is not None:
            self._choices, self._make = tuple(self._make()), None
        return self._choices

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        # click.Choice.__init__ sets the (still empty) choices: the callable stays in charge
        if value:
            self._choices, self._make = tuple(value), None


class LaterOptions(click.Command):
    """A command with options added by `later()` when its parameters are first asked for
    (parsing, help, completion), after those its decorators declared."""

    def __init__(self, *args: Any, later: Callable[[], list[click.Parameter]], **kwargs: Any):
        self._later: Callable[[], list[click.Parameter]] | None = later
        self._params: list[click.Parameter] = []
        super().__init__(*args, **kwargs)

    @property  # click's is a plain attribute: this one is filled when first read
    def params(self) -> list[click.Parameter]:
        if self._later is not None:
            later, self._later = self._later, None
            self._params.extend(later())
        return self._params

    @params.setter
    def params(self, value: list[click.Parameter]) -> None:
        self._params = value


class LazyModule(ModuleType):
    """A module imported when one of its names is first used."""

    def __init__(self, name: str):
        super().__init__(name)
        self._module: ModuleType | None = None

    def __getattr__(self, name: str) -> Any:
        if self._module is None:
            self._module = import_module(self.__name__)
        return getattr(self._module, name)
