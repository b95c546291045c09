"""Playing vignettes through the interview, as the person they describe.

The vignette answers each question; anything it does not mention is "don't
know". A grouped question is answered with the items the vignette says are
present, or "don't know" when it mentions none of them. After every question
the interim result is kept, so accuracy can be drawn against questions asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from legpain.cases import Case
from legpain.engine import UNKNOWN, Assessment, Engine
from legpain.evaluation import CaseOutcome, Report, brier, outcome
from legpain.interview import Interview, Question


def vignette_answer(case: Case, question: Question) -> Any:
    """What the person in ``case`` answers to ``question``.

    A single question the vignette does not mention is "don't know". A warning
    screen the vignette says nothing of is "don't know" the first time; asked once
    more (an emergency screen), the person looks again and ticks what they have:
    a vignette names the warning signs that are present.
    """
    if question.items:
        mentioned = any(i in case.answers for i in question.items)
        if not mentioned and question.kind == "screen" and not question.asked_before:
            return UNKNOWN
        if not mentioned and question.kind != "screen":
            return UNKNOWN
        return [i for i in question.items if case.answers.get(i) is True]
    return case.answers.get(question.id, UNKNOWN)


@dataclass(frozen=True)
class Played:
    """One vignette played through: the questions, answers and interim outcomes."""

    case: Case
    asked: list[tuple[Question, Any]]
    result: Assessment
    outcome: CaseOutcome
    # outcome after 0, 1, 2, ... questions (the last equals ``outcome``)
    trajectory: list[CaseOutcome]


def play(case: Case, engine: Engine, prefill: Mapping[str, Any] | None = None) -> Played:
    """Interview the person described by ``case`` (only its expected answer key is unused).

    ``prefill`` starts the interview from answers already known, for example
    those read from the vignette's narrative.
    """
    interview = Interview(answers=dict(prefill or {}), engine=engine)
    asked: list[tuple[Question, Any]] = []
    trajectory = [outcome(case, interview.result(), 0)]
    while (question := interview.next_question()) is not None:
        value = vignette_answer(case, question)
        interview.answer(question.id, value)
        asked.append((question, value))
        trajectory.append(outcome(case, interview.result(), len(asked)))
    result = engine.assess(interview.known, case.id, unsure=interview.unsure)
    return Played(case, asked, result, trajectory[-1], trajectory)


@dataclass
class SimulationReport:
    played: list[Played] = field(default_factory=list)
    interview: Report = field(default_factory=Report)
    all_answers: Report = field(default_factory=Report)  # the same engine, every answer given

    def curve(self) -> list[dict[str, float]]:
        """Accuracy after k questions, for k = 0 .. the longest interview.

        A finished interview keeps its final result for larger k.
        """
        if not self.played:
            return []
        longest = max(len(p.trajectory) for p in self.played)
        points = []
        n = len(self.played)
        for k in range(longest):
            at_k = [p.trajectory[min(k, len(p.trajectory) - 1)] for p in self.played]
            points.append(
                {
                    "questions": float(k),
                    "top1": sum(o.top1 for o in at_k) / n,
                    "top3": sum(o.top3 for o in at_k) / n,
                    "triage_exact": sum(o.triage == o.expected_triage for o in at_k) / n,
                    "still_asking": sum(len(p.trajectory) - 1 > k for p in self.played) / n,
                }
            )
        return points

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.interview.to_dict(),
            "all_answers": {
                k: v
                for k, v in self.all_answers.metrics().items()
                if k in ("top1", "top3", "triage_exact", "serious_under_triaged")
            },
            "cases": [
                {
                    "id": p.outcome.id,
                    "questions": len(p.asked),
                    "asked": [q.id for q, _ in p.asked],
                    "ranked": list(p.outcome.ranked[:3]),
                    "expected": p.outcome.expected,
                    "triage": p.outcome.triage,
                    "expected_triage": p.outcome.expected_triage,
                }
                for p in self.played
            ],
            "curve": self.curve(),
        }


def simulate_cases(
    cases: Iterable[Case],
    engine: Engine,
    on_played: Callable[[Played], None] | None = None,
    prefill: Callable[[Case], Mapping[str, Any]] | None = None,
) -> SimulationReport:
    report = SimulationReport()
    for case in cases:
        if case.expected is None:
            continue
        played = play(case, engine, prefill(case) if prefill else None)
        report.played.append(played)
        report.interview.outcomes.append(played.outcome)
        report.interview.brier_sum += brier(case, played.result)
        full = engine.assess(case.answers, case.id)
        report.all_answers.outcomes.append(outcome(case, full))
        report.all_answers.brier_sum += brier(case, full)
        if on_played is not None:
            on_played(played)
    return report


def plot_curve(report: SimulationReport, path: str) -> None:
    """Draw accuracy against questions asked (PNG), with the all-answers engine for scale."""
    import matplotlib

    matplotlib.use("Agg")  # no screen: write files only
    import matplotlib.pyplot as plt

    curve = report.curve()
    xs = [p["questions"] for p in curve]
    full = report.all_answers.metrics()
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    for key, label, color in (
        ("top1", "top-1", "tab:blue"),
        ("top3", "top-3", "tab:green"),
        ("triage_exact", "triage exact", "tab:red"),
    ):
        ax.plot(xs, [p[key] for p in curve], label=label, color=color, linewidth=2)
        ax.axhline(full[key], color=color, linestyle=":", linewidth=1)
    ax.plot(
        xs,
        [p["still_asking"] for p in curve],
        label="interviews still going",
        color="grey",
        linestyle="--",
    )
    median = report.interview.metrics().get("questions_median")
    if median is not None:
        ax.axvline(float(median), color="black", linewidth=0.8)
        ax.annotate(f"median {median:g}", (float(median), 0.02), rotation=90, fontsize=8)
    ax.set_xlabel("questions asked (a grouped question counts as one)")
    ax.set_ylabel("share of vignettes")
    ax.set_ylim(0, 1.02)
    ax.set_title(
        f"Interview accuracy on {report.interview.n} vignettes (dotted: engine given every answer)"
    )
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


__all__ = ["Played", "SimulationReport", "play", "plot_curve", "simulate_cases", "vignette_answer"]
