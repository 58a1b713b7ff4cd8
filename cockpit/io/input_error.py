"""The one error an import raises: file, line, column, value, what was expected."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from typing import Any

from cockpit.io.numbers_fr import printable
from cockpit.safe_text import safe_text


@dataclass(frozen=True)
class InputError(Exception):
    """One bad thing in an input file, told in one line."""

    path: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    expected_en: str = ""

    def __post_init__(self) -> None:
        for name in ("column", "value"):
            text = getattr(self, name)
            if text is not None:
                object.__setattr__(self, name, printable(str(text)))
        Exception.__init__(self, self.message())

    def message(self, lang: str = "fr") -> str:
        en = lang.lower().startswith("en")
        where = [self.path]
        if self.line is not None:
            where.append(f"{'line' if en else 'ligne'} {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'" if en else f"colonne « {self.column} »")
        head, colon = ", ".join(where), (":" if en else " :")
        expected = (self.expected_en or self.expected) if en else self.expected
        if self.value is None:  # file-level or header problem: the sentence says it all
            said = f"{head}{colon} {expected}"
        elif en:
            said = f"{head}: '{self.value}' — expected: {expected}"
        else:
            said = f"{head} : « {self.value} » — attendu : {expected}"
        return safe_text(said)  # a file's name, a list of the workspace's periods or logins: data, never control

    def __str__(self) -> str:
        return self.message("fr")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.column, self.value,
                             self.expected, self.expected_en))


def _exception_setattr(self: InputError, name: str, value: Any) -> None:
    # Frozen fields, but Python itself must still set __traceback__,
    # __context__, __notes__... on a raised exception (contextlib, hypothesis).
    if name.startswith("__") and name.endswith("__"):
        object.__setattr__(self, name, value)
    else:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")


InputError.__setattr__ = _exception_setattr  # type: ignore[method-assign,assignment]  # frozen after the dataclass is built

def file_error(path: str, fr: str, en: str, line: int | None = None, column: str | None = None) -> InputError:
    """An error whose sentence says it all (no offending value to quote)."""
    return InputError(path, line, column, None, fr, en)


def no_line(path: str) -> InputError:
    """A file with its header and no line under it: refused, so that an import
    of nothing writes nothing (not even the record that ends the undo history)."""
    from cockpit.i18n import both

    return InputError(path, None, None, None, *both("input.no_line"))


def all_rejected(path: str, rejects: str) -> InputError:
    """``--skip-bad`` and every line set aside: nothing to import, so nothing is
    written (an import of no line wrote the record that ends the undo history)."""
    from cockpit.i18n import both

    return InputError(path, None, None, None, *both("input.all_rejected", rejects=rejects))
