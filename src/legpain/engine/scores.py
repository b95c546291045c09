"""Three-valued tests over answers, and the clinical scores built from them.

A test is true, false, or ``None`` (unknown: the answers do not settle it).
Rules fire only on true; score items report met / not met / unknown / not
assessable. A score with unknown or not-assessable items is *incomplete*: it says
so, and its ``maximum`` is what it would be if they were all met. An all-criteria
score whose asked criteria are all met, with only unasked ones left, gets its
band and is marked incomplete.

A score is *shown* to people only where the condition it supports is in
question (``in_question``): a Wells score beside leg cramps would only alarm or
falsely reassure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from types import MappingProxyType
from typing import Literal

from legpain.engine._answers import Value
from legpain.engine._made import construct
from legpain.knowledge import KnowledgeBase
from legpain.knowledge._schema import Expr, Score

Truth = bool | None
ItemStatus = Literal["met", "not_met", "unknown", "not_assessable"]


@dataclass(frozen=True)
class ItemResult:
    id: str
    text: str
    points: float
    status: ItemStatus


@dataclass(frozen=True)
class ScoreResult:
    id: str
    name: str
    kind: str
    supports: str | None
    points: float  # from the items met
    maximum: float  # if every unknown item were met
    items: tuple[ItemResult, ...]
    band: str | None
    all_met: bool
    note: str | None
    complete: bool = True  # no item unknown or not assessable
    shown: bool = True  # the supported condition is in question (set by the assessment)

    @property
    def missing(self) -> tuple[str, ...]:
        """Items the answers leave open: unknown, or not assessable at home."""
        return tuple(i.id for i in self.items if i.status in ("unknown", "not_assessable"))

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "points": self.points,
            "maximum": self.maximum,
            "band": self.band,
            "all_criteria_met": self.all_met if self.kind == "all_criteria" else None,
            "complete": self.complete,
            "missing_items": list(self.missing),
            "shown": self.shown,
            "supports": self.supports,
            "items": [
                {"id": i.id, "text": i.text, "points": i.points, "status": i.status}
                for i in self.items
            ],
            "note": self.note,
        }


def evaluate(e: Expr, answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
    if e.finding is not None:
        v = answers.get(e.finding)
        if e.is_not is not None:
            # A yes/no answer is named "true"/"false" in 'in'/'is_not' lists.
            name = str(v).lower() if isinstance(v, bool) else v
            return v is None or name not in e.is_not
        if v is None:
            return None
        if e.in_ is not None:
            return v in e.in_
        if e.at_least is not None or e.below is not None:
            x = float(v)
            return (e.at_least is None or x >= e.at_least) and (e.below is None or x < e.below)
        return v is True
    if e.score is not None:
        s = scores[e.score]
        lo, hi = s.points, s.maximum
        if (e.at_least is None or lo >= e.at_least) and (e.below is None or hi < e.below):
            return True
        if (e.at_least is not None and hi < e.at_least) or (e.below is not None and lo >= e.below):
            return False
        return None
    if e.not_ is not None:
        inner = evaluate(e.not_, answers, scores)
        return None if inner is None else not inner
    parts = [evaluate(sub, answers, scores) for sub in (e.all or e.any or [])]
    if e.all is not None:
        return False if False in parts else (True if all(p is True for p in parts) else None)
    return True if True in parts else (False if all(p is False for p in parts) else None)


Test = Callable[[Mapping[str, Value], Mapping[str, ScoreResult]], Truth]


def compile_expr(e: Expr) -> Test:
    """``evaluate(e, ...)`` as a function: the same three-valued result for every
    answers and scores (every part evaluated, as ``evaluate`` does), the expression's
    form and constants looked up once instead of on every call."""
    if e.finding is not None:
        fid = e.finding
        if e.is_not is not None:
            is_not = tuple(e.is_not)

            def test(answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
                v = answers.get(fid)
                name = str(v).lower() if isinstance(v, bool) else v
                return v is None or name not in is_not

        elif e.in_ is not None:
            in_ = tuple(e.in_)

            def test(answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
                v = answers.get(fid)
                return None if v is None else v in in_

        elif e.at_least is not None or e.below is not None:
            lo, hi = e.at_least, e.below

            def test(answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
                v = answers.get(fid)
                if v is None:
                    return None
                x = float(v)
                return (lo is None or x >= lo) and (hi is None or x < hi)

        else:

            def test(answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
                v = answers.get(fid)
                return None if v is None else v is True

        return test
    if e.score is not None:
        return partial(evaluate, e)
    if e.not_ is not None:
        inner = compile_expr(e.not_)

        def test(answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
            truth = inner(answers, scores)
            return None if truth is None else not truth

        return test
    subs = tuple(compile_expr(sub) for sub in (e.all or e.any or []))
    if e.all is not None:

        def test(answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
            parts = [sub(answers, scores) for sub in subs]
            return False if False in parts else (True if all(p is True for p in parts) else None)

    else:

        def test(answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]) -> Truth:
            parts = [sub(answers, scores) for sub in subs]
            return True if True in parts else (False if all(p is False for p in parts) else None)

    return test


def compute_score(score: Score, answers: Mapping[str, Value]) -> ScoreResult:
    return score_function(score)(answers)


def score_function(score: Score) -> Callable[[Mapping[str, Value]], ScoreResult]:
    """``compute_score(score, ...)`` compiled: the items' tests compiled once (kept
    for the last few hundred scores seen, by identity)."""
    hit = _SCORE_FUNCTIONS.get(id(score))
    if hit is not None and hit[0] is score:
        return hit[1]
    tests = tuple(None if item.when is None else compile_expr(item.when) for item in score.items)
    # Each item's result for each status: immutable, so made once and shared.
    made = tuple(
        {status: ItemResult(item.id, item.text, item.points, status) for status in _STATUSES}
        for item in score.items
    )
    fn = partial(_compute_score, score, tests, made)
    if len(_SCORE_FUNCTIONS) >= 512:
        _SCORE_FUNCTIONS.clear()
    _SCORE_FUNCTIONS[id(score)] = (score, fn)
    return fn


_STATUSES: tuple[ItemStatus, ...] = ("met", "not_met", "unknown", "not_assessable")
_SCORE_FUNCTIONS: dict[int, tuple[Score, Callable[[Mapping[str, Value]], ScoreResult]]] = {}
_NO_SCORES: Mapping[str, ScoreResult] = MappingProxyType({})


def _compute_score(
    score: Score,
    tests: tuple[Test | None, ...],
    made: tuple[dict[ItemStatus, ItemResult], ...],
    answers: Mapping[str, Value],
) -> ScoreResult:
    items: list[ItemResult] = []
    points = maximum = 0.0
    for item, when, results in zip(score.items, tests, made, strict=True):
        status: ItemStatus
        if when is None:
            status = "not_assessable"
        else:
            truth = when(answers, _NO_SCORES)
            status = "unknown" if truth is None else ("met" if truth else "not_met")
        if status == "met":
            points += item.points
            maximum += item.points
        elif status in ("unknown", "not_assessable") and item.points > 0:
            maximum += item.points
        items.append(results[status])
    all_met = all(i.status == "met" for i in items)
    complete = all(i.status in ("met", "not_met") for i in items)
    band = next((b.label for b in score.bands if points >= b.at_least), None)
    # All criteria: every criterion legpain asks is met, and only unasked ones are left.
    asked_all_met = all(i.status in ("met", "not_assessable") for i in items)
    if score.kind == "all_criteria" and not asked_all_met:
        band = None
    # ScoreResult(...) without the frozen dataclass's field-by-field __init__: the
    # same object (its fields in their order, ``shown`` at its default).
    return construct(
        ScoreResult,
        id=score.id,
        name=score.name,
        kind=score.kind,
        supports=score.supports,
        points=points,
        maximum=maximum,
        items=tuple(items),
        band=band,
        all_met=all_met,
        note=score.note,
        complete=complete,
        shown=True,
    )


def shown_copy(s: ScoreResult, shown: bool) -> ScoreResult:
    """``dataclasses.replace(s, shown=shown)``, made faster: the same object."""
    return construct(ScoreResult, **{**s.__dict__, "shown": shown})


def compute_scores(kb: KnowledgeBase, answers: Mapping[str, Value]) -> dict[str, ScoreResult]:
    return {sid: compute_score(s, answers) for sid, s in kb.scores.items()}


# Findings that put a score's condition in question by themselves, whatever its
# probability: a swollen leg or a tender calf is where a Wells score belongs.
IN_QUESTION_FINDINGS: dict[str, tuple[str, ...]] = {
    "wells_dvt": ("swelling_one_leg", "calf_tenderness"),
}


def in_question(
    kb: KnowledgeBase,
    score: ScoreResult,
    answers: Mapping[str, Value],
    probabilities: Mapping[str, float],
    suspects: Iterable[str],
) -> bool:
    """Whether the condition a score supports is in question: still possible
    (probability at or above the policy's ``possible_threshold``), suspected by a
    warning sign that fired, or pointed to by one of IN_QUESTION_FINDINGS."""
    if score.supports is None:
        return True
    if probabilities.get(score.supports, 0.0) >= kb.policy.possible_threshold:
        return True
    if score.supports in set(suspects):
        return True
    return any(answers.get(f) is True for f in IN_QUESTION_FINDINGS.get(score.id, ()))


def mark_shown(
    kb: KnowledgeBase,
    scores: Mapping[str, ScoreResult],
    answers: Mapping[str, Value],
    probabilities: Mapping[str, float],
    suspects: Iterable[str],
) -> dict[str, ScoreResult]:
    named = list(suspects)
    return {
        sid: replace(s, shown=in_question(kb, s, answers, probabilities, named))
        for sid, s in scores.items()
    }
