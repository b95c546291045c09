"""Scoring the engine against vignettes (cases with an answer key)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from legpain.cases import Case
from legpain.engine import Assessment
from legpain.engine.triage import RANK

SERIOUS = ("emergency", "urgent")


@dataclass(frozen=True)
class CaseOutcome:
    id: str
    expected: str
    acceptable: tuple[str, ...]
    ranked: tuple[str, ...]
    expected_triage: str
    triage: str
    expected_contributors: tuple[str, ...]
    contributors: tuple[str, ...]
    probability_of_expected: float
    questions: int | None = None

    @property
    def top1(self) -> bool:
        return self.ranked[0] in self.acceptable

    @property
    def top3(self) -> bool:
        return any(c in self.acceptable for c in self.ranked[:3])

    @property
    def under_triaged(self) -> bool:
        return RANK[self.triage] < RANK[self.expected_triage]  # type: ignore[index]

    @property
    def over_triaged(self) -> bool:
        return RANK[self.triage] > RANK[self.expected_triage]  # type: ignore[index]


@dataclass
class Report:
    outcomes: list[CaseOutcome] = field(default_factory=list)
    brier_sum: float = 0.0

    @property
    def n(self) -> int:
        return len(self.outcomes)

    def _rate(self, pred: Callable[[CaseOutcome], bool]) -> float:
        return sum(pred(o) for o in self.outcomes) / self.n if self.n else 0.0

    def metrics(self) -> dict[str, Any]:
        expected_contrib = sum(len(o.expected_contributors) for o in self.outcomes)
        found = sum(len(set(o.expected_contributors) & set(o.contributors)) for o in self.outcomes)
        serious_low = [
            o.id for o in self.outcomes if o.expected_triage in SERIOUS and o.under_triaged
        ]
        out: dict[str, Any] = {
            "n": self.n,
            "top1": self._rate(lambda o: o.top1),
            "top3": self._rate(lambda o: o.top3),
            "triage_exact": self._rate(lambda o: o.triage == o.expected_triage),
            "under_triage": self._rate(lambda o: o.under_triaged),
            "over_triage": self._rate(lambda o: o.over_triaged),
            "serious_under_triaged": serious_low,
            "contributor_recall": found / expected_contrib if expected_contrib else 1.0,
            "brier": self.brier_sum / self.n if self.n else 0.0,
        }
        asked = [o.questions for o in self.outcomes if o.questions is not None]
        if asked:
            asked.sort()
            out["questions_mean"] = sum(asked) / len(asked)
            out["questions_median"] = (
                asked[len(asked) // 2]
                if len(asked) % 2
                else ((asked[len(asked) // 2 - 1] + asked[len(asked) // 2]) / 2)
            )
            out["questions_max"] = asked[-1]
        return out

    def confusion(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {}
        for o in self.outcomes:
            table.setdefault(o.expected, Counter())[o.ranked[0]] += 1
        return table

    def misses(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.top1 or o.triage != o.expected_triage]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.metrics(),
            "confusion": {k: dict(v) for k, v in sorted(self.confusion().items())},
            "misses": [
                {
                    "id": o.id,
                    "expected": o.expected,
                    "ranked": list(o.ranked[:3]),
                    "expected_triage": o.expected_triage,
                    "triage": o.triage,
                }
                for o in self.misses()
            ],
        }


def outcome(case: Case, result: Assessment, questions: int | None = None) -> CaseOutcome:
    assert case.expected is not None
    exp = case.expected
    acceptable = (exp.condition, *exp.also_acceptable)
    probs = result.probabilities()
    return CaseOutcome(
        id=case.label,
        expected=exp.condition,
        acceptable=acceptable,
        ranked=tuple(c.id for c in result.conditions),
        expected_triage=exp.triage,
        triage=result.level,
        expected_contributors=exp.contributors,
        contributors=result.contributors,
        probability_of_expected=probs[exp.condition],
        questions=questions,
    )


def brier(case: Case, result: Assessment) -> float:
    """Multi-class Brier score over the conditions (0 is perfect, 2 is worst)."""
    assert case.expected is not None
    truth = case.expected.condition
    return sum(
        (p - (1.0 if cid == truth else 0.0)) ** 2 for cid, p in result.probabilities().items()
    )


def evaluate_cases(cases: Iterable[Case], assess_case: Callable[[Case], Assessment]) -> Report:
    report = Report()
    for case in cases:
        if case.expected is None:
            continue
        result = assess_case(case)
        report.outcomes.append(outcome(case, result))
        report.brier_sum += brier(case, result)
    return report
