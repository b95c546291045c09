"""Three-valued tests over answers, and the clinical scores built from them.

A test is true, false, or ``None`` (unknown: the answers do not settle it).
Rules fire only on true; score items report met / not met / unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from legpain.engine._answers import Value
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

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "points": self.points,
            "maximum": self.maximum,
            "band": self.band,
            "all_criteria_met": self.all_met if self.kind == "all_criteria" else None,
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


def compute_score(score: Score, answers: Mapping[str, Value]) -> ScoreResult:
    items: list[ItemResult] = []
    points = maximum = 0.0
    for item in score.items:
        status: ItemStatus
        if item.when is None:
            status = "not_assessable"
        else:
            truth = evaluate(item.when, answers, {})
            status = "unknown" if truth is None else ("met" if truth else "not_met")
        if status == "met":
            points += item.points
            maximum += item.points
        elif status in ("unknown", "not_assessable") and item.points > 0:
            maximum += item.points
        items.append(ItemResult(item.id, item.text, item.points, status))
    all_met = all(i.status == "met" for i in items)
    band = next((b.label for b in score.bands if points >= b.at_least), None)
    if score.kind == "all_criteria" and not all_met:
        band = None
    return ScoreResult(
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
    )


def compute_scores(kb: KnowledgeBase, answers: Mapping[str, Value]) -> dict[str, ScoreResult]:
    return {sid: compute_score(s, answers) for sid, s in kb.scores.items()}
