"""Answers: checking what a person told us against the vocabulary.

A case's ``answers`` map finding ids to values. Anything wrong is collected and
raised together as a ``CaseError`` that names the id, what was given and what is
expected; nothing is silently dropped. ``unknown`` is the same as not answering.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from legpain.knowledge import KnowledgeBase, load_knowledge

UNKNOWN = "unknown"

Value = bool | str | float


class CaseError(ValueError):
    """Invalid answers. ``problems`` lists every one, each naming the finding."""

    def __init__(self, problems: list[str], where: str | None = None) -> None:
        self.problems = problems
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__("; ".join(prefix + p for p in problems))


def _expected(kb: KnowledgeBase, fid: str) -> str:
    f = kb.findings[fid]
    if f.type == "boolean":
        return "true, false or unknown"
    if f.type == "choice":
        return f"one of {', '.join(f.choices or [])} or unknown"
    lo = "" if f.minimum is None else f" from {f.minimum:g}"
    hi = "" if f.maximum is None else f" to {f.maximum:g}"
    return f"a number{lo}{hi} or unknown"


def check_value(kb: KnowledgeBase, fid: str, value: Any) -> Value | None:
    """The normalised value, or ``None`` for unknown; ``ValueError`` naming what is expected."""
    if value is None or value == UNKNOWN:
        return None
    f = kb.findings[fid]
    if f.type == "boolean" and isinstance(value, bool):
        return value
    if f.type == "choice" and isinstance(value, str) and value in (f.choices or []):
        return value
    if f.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float
            number = math.inf
        if (
            math.isfinite(number)
            and (f.minimum is None or number >= f.minimum)
            and (f.maximum is None or number <= f.maximum)
        ):
            return number
    raise ValueError(f"{fid}: expected {_expected(kb, fid)}, got {value!r}")


def parse_answers(
    raw: Any, kb: KnowledgeBase | None = None, where: str | None = None
) -> dict[str, Value]:
    """Validate ``raw`` answers; return the known ones (unknowns removed)."""
    kb = kb or load_knowledge()
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise CaseError(
            [f"'answers' must be a mapping of finding id to value, got {type(raw).__name__}"], where
        )
    problems: list[str] = []
    out: dict[str, Value] = {}
    for fid, value in raw.items():
        if not isinstance(fid, str) or fid not in kb.findings:
            problems.append(f"unknown finding {fid!r} (see `legpain vocabulary` for the ids)")
            continue
        try:
            checked = check_value(kb, fid, value)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if checked is not None:
            out[fid] = checked
    if problems:
        raise CaseError(problems, where)
    return out


class AnswerParser:
    """``parse_answers`` compiled for one knowledge base: each finding's type and
    allowed values looked up once. Answers of the plain kinds (a dict of ids to
    ``True``/``False``, a listed choice, an ``int`` or ``float`` in range, ``None``
    or ``"unknown"``) are checked here; anything else, or anything wrong, is left
    to ``parse_answers`` itself, so the result and every error are its own."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.specs: dict[str, tuple[int, frozenset[str], float, float]] = {}
        for fid, f in kb.findings.items():
            kind = 0 if f.type == "boolean" else 1 if f.type == "choice" else 2
            self.specs[fid] = (
                kind,
                frozenset(f.choices or ()),
                -math.inf if f.minimum is None else f.minimum,
                math.inf if f.maximum is None else f.maximum,
            )

    def __call__(self, raw: Any, where: str | None = None) -> dict[str, Value]:
        if type(raw) is not dict:
            return parse_answers(raw, self.kb, where)
        specs = self.specs
        out: dict[str, Value] = {}
        for fid, value in raw.items():
            spec = specs.get(fid) if type(fid) is str else None
            if spec is None:
                return parse_answers(raw, self.kb, where)
            if value is None:
                continue
            t = type(value)
            if t is str and value == UNKNOWN:
                continue
            kind = spec[0]
            if kind == 0:
                if t is bool:
                    out[fid] = value
                    continue
            elif kind == 1:
                if t is str and value in spec[1]:
                    out[fid] = value
                    continue
            elif t is float or t is int:
                try:
                    number = float(value)
                except OverflowError:
                    return parse_answers(raw, self.kb, where)
                if math.isfinite(number) and spec[2] <= number <= spec[3]:
                    out[fid] = number
                    continue
            return parse_answers(raw, self.kb, where)
        return out
