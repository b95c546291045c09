"""Result objects made without their dataclass ``__init__``."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def construct(cls: type[T], /, **fields: Any) -> T:
    """``cls(**fields)`` for a frozen dataclass, given every field in the class's order: the
    same object (class, fields and their order), without the frozen ``__init__``'s one
    ``object.__setattr__`` per field, which was most of the cost of an assessment's many
    small results. Only for classes with no ``__post_init__``."""
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj
