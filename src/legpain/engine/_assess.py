"""Assessment: answers in, ranked possible causes, triage, reasons and advice out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Literal

from legpain.engine._answers import AnswerParser, Value
from legpain.engine._made import construct
from legpain.engine._model import LEAK, CompiledModel, FloatArray, compile_model
from legpain.engine._unsure import unsure_rules
from legpain.engine.advice import (
    ADVICE_KINDS,
    AdviceSelection,
    clear_selection_memo,
    select_ranked_advice,
)
from legpain.engine.explain import Reason, explainer
from legpain.engine.scores import ScoreResult, in_question, score_function, shown_copy
from legpain.engine.triage import (
    RANK,
    WEAK_FIT,
    TriageDecision,
    _decision,
    higher,
    probability_triage,
    rule_findings,
    rule_table,
)
from legpain.knowledge import KnowledgeBase, TriageLevel, load_knowledge

Fit = Literal["good", "weak", "none"]

# "None of these fits", said plainly (fit "none": another cause is the most
# probable; "weak": the most probable named cause is below triage.WEAK_FIT).
OTHER_CAUSE_NOTE: dict[Fit, str] = {
    "none": (
        "None of the causes legpain knows about fits your answers well: the pain may "
        "come from something else. Please see a doctor so they can find out what it is."
    ),
    "weak": (
        "No single cause fits your answers well; the most likely one here is still under "
        f"{100 * WEAK_FIT:.0f}%. The pain may come from something legpain does not cover, "
        "so please see a doctor rather than rely on this list."
    ),
}


def fit_of(top_named: float, other_cause: float) -> Fit:
    """How well the named causes fit: 'none' when another cause is the most
    probable, 'weak' when the top named cause is below WEAK_FIT, else 'good'."""
    if other_cause > top_named:
        return "none"
    return "weak" if top_named < WEAK_FIT else "good"


EXPLAINED_CAUSES = 3

TRIAGE_ACTION: dict[TriageLevel, str] = {
    "emergency": "Call an ambulance or go to an emergency department now.",
    "urgent": "See a doctor within 24 hours, today if you can.",
    "routine": "Book a doctor's appointment, within about two weeks.",
    "self_care": "You can look after this at home; see a doctor if it lasts or a warning sign appears.",
}


@dataclass(frozen=True)
class RankedCause:
    id: str
    name: str
    probability: float
    summary: str
    reasons_for: tuple[Reason, ...] = ()
    reasons_against: tuple[Reason, ...] = ()


def _ranked_cause(
    info: tuple[str, str, str],
    probability: float,
    reasons_for: tuple[Reason, ...],
    reasons_against: tuple[Reason, ...],
) -> RankedCause:
    cid, name, summary = info
    return construct(
        RankedCause,
        id=cid,
        name=name,
        probability=probability,
        summary=summary,
        reasons_for=reasons_for,
        reasons_against=reasons_against,
    )


@dataclass(frozen=True)
class Assessment:
    """The result of one assessment. ``to_dict()`` is the case-format JSON."""

    case: str | None
    answers: dict[str, Value]
    conditions: tuple[RankedCause, ...]
    other_cause_probability: float
    triage: TriageDecision
    contributors: tuple[str, ...]
    scores: dict[str, ScoreResult]
    advice: AdviceSelection
    disclaimer: str
    kb: KnowledgeBase = field(repr=False, compare=False)

    @property
    def level(self) -> TriageLevel:
        return self.triage.level

    @property
    def top(self) -> RankedCause:
        return self.conditions[0]

    def probabilities(self) -> dict[str, float]:
        return {c.id: c.probability for c in self.conditions}

    @property
    def fit(self) -> Fit:
        return fit_of(self.conditions[0].probability, self.other_cause_probability)

    @property
    def other_cause_note(self) -> str | None:
        fit = self.fit
        return None if fit == "good" else OTHER_CAUSE_NOTE[fit]

    def to_dict(self) -> dict[str, Any]:
        kb = self.kb
        red_flags = [r for r in self.triage.rules if r.kind == "red_flag"]
        reviews = [r for r in self.triage.rules if r.kind == "review"]
        trigger = self.triage.condition
        return {
            "case": self.case,
            "conditions": [
                {
                    "id": c.id,
                    "name": c.name,
                    "probability": round(c.probability, 6),
                    **(
                        {
                            "summary": c.summary,
                            "reasons_for": [r.to_dict() for r in c.reasons_for],
                            "reasons_against": [r.to_dict() for r in c.reasons_against],
                        }
                        if i < EXPLAINED_CAUSES
                        else {}
                    ),
                }
                for i, c in enumerate(self.conditions)
            ],
            "other_cause_probability": round(self.other_cause_probability, 6),
            "fit": self.fit,
            "other_cause_note": self.other_cause_note,
            "triage": self.level,
            "triage_action": TRIAGE_ACTION[self.level],
            "triage_basis": {
                "condition": None
                if trigger is None
                else {
                    "id": trigger.condition,
                    "level": trigger.level,
                    "probability": round(trigger.probability, 4),
                    "ranked_first": trigger.top,
                    "weak_fit": trigger.weak_fit,
                },
                "rules": [r.id for r in self.triage.rules],
            },
            "red_flags": [
                {
                    "id": r.id,
                    "level": r.level,
                    "message": r.message,
                    "action": r.action,
                    "suspect": r.suspect,
                    "source": r.source,
                }
                for r in red_flags
            ],
            "reasons_to_see_a_doctor": [
                {
                    "id": r.id,
                    "level": r.level,
                    "message": r.message,
                    "action": r.action,
                    "source": r.source,
                }
                for r in reviews
            ],
            "contributors": list(self.contributors),
            "contributor_details": [
                {"id": f, "label": kb.findings[f].label} for f in self.contributors
            ],
            # Only scores whose condition is in question; the others would mislead.
            "scores": [s.to_dict() for s in self.scores.values() if s.shown],
            "advice": {
                kind: [
                    {"id": a.id, "text": a.text, "source": a.source}
                    for a in self.advice.by_kind(kind)
                ]
                for kind in ADVICE_KINDS
            },
            "advice_withheld": [
                {"id": w.id, "because_possible": list(w.because_possible)}
                for w in self.advice.withheld
            ],
            "disclaimer": self.disclaimer,
        }


class Engine:
    """The knowledge base compiled once; ``assess`` is then pure and fast.

    Compiled here, besides the model: the explanation tables (``Explainer``), the
    triage rules (``RuleTable``), each condition's name, summary and contributors,
    and a memo of each score's result on the answers its items read.
    """

    SCORE_MEMO_LIMIT = 50_000  # entries per score; cleared when full

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or load_knowledge()
        self.model: CompiledModel = compile_model(self.kb)
        self.rule_findings = rule_findings(self.kb)
        self.explainer = explainer(self.kb, self.model)
        self.rules = rule_table(self.kb)
        self._parse = AnswerParser(self.kb)
        kb, causes = self.kb, self.model.causes
        self._leak = causes.index(LEAK)
        self._named = [i for i, c in enumerate(causes) if c != LEAK]
        self._text = {cid: (c.name, c.summary.strip()) for cid, c in kb.conditions.items()}
        # By cause index (the leak's never used): id, name and summary.
        self._info = [(cid, *self._text.get(cid, ("", ""))) for cid in causes]
        self._contributor_findings = {
            cid: tuple(ct.finding for ct in c.contributors) for cid, c in kb.conditions.items()
        }
        self._disclaimer = kb.policy.disclaimer.strip()
        self._score_reads = {
            sid: tuple(
                sorted(
                    {f for item in s.items if item.when is not None for f in item.when.findings()}
                )
            )
            for sid, s in kb.scores.items()
        }
        # The named causes that some score supports, with their index in the posterior.
        self._supported = [
            (cid, causes.index(cid))
            for cid in dict.fromkeys(s.supports for s in kb.scores.values())
            if cid is not None and cid in kb.conditions and cid != LEAK
        ]
        self._score_functions = {sid: score_function(s) for sid, s in kb.scores.items()}
        self._score_memo: dict[str, dict[tuple[Value | None, ...], ScoreResult]] = {
            sid: {} for sid in kb.scores
        }
        self._shown: dict[tuple[int, bool], tuple[ScoreResult, ScoreResult]] = {}

    def clear_memos(self) -> None:
        """Empty every memo of results on answers (not the compiled tables): the rule
        verdicts and fired rules, the scores and their shown copies, the reasons
        made and the advice selections. Results are the same with or without them;
        the benchmark times assess after this, so as not to time a memo."""
        self.rules._memo.clear()
        self.rules._fired.clear()
        for memo in self._score_memo.values():
            memo.clear()
        self._shown.clear()
        self.explainer._reasons.clear()
        clear_selection_memo(self.kb)

    def posterior(self, answers: Mapping[str, Value]) -> FloatArray:
        return self.model.posterior_from_rows(self.model.rows_for(self.kb, dict(answers)))

    def scores(self, answers: Mapping[str, Value]) -> dict[str, ScoreResult]:
        """``compute_scores(kb, answers)``, memoised per score on the answers it reads."""
        out: dict[str, ScoreResult] = {}
        for sid, reads in self._score_reads.items():
            memo = self._score_memo[sid]
            key = tuple(map(answers.get, reads))
            result = memo.get(key)
            if result is None:
                result = self._score_functions[sid](answers)
                if len(memo) >= self.SCORE_MEMO_LIMIT:
                    memo.clear()
                memo[key] = result
            out[sid] = result
        return out

    def assess(
        self,
        answers: Mapping[str, Any] | None,
        case: str | None = None,
        unsure: Iterable[str] = (),
    ) -> Assessment:
        """``unsure``: warning signs the person was asked about and could not answer
        (not merely unmentioned); see ``_unsure``."""
        kb, model = self.kb, self.model
        clean = self._parse(answers or {}, case)
        rows = model.rows_for(kb, clean)
        post = model.posterior_from_rows(rows)
        p = post.tolist()
        leak = self._leak
        causes_ = model.causes
        # As np.argsort(-post, kind="stable"): a stable sort, most probable first.
        order = sorted(range(len(p)), key=p.__getitem__, reverse=True)
        order.remove(leak)
        ranked = [(causes_[i], p[i]) for i in order]
        info = self._info
        scores = self.scores(clean)
        decision = self._triage(clean, scores, rows, unsure, post)

        explained = [cid for cid, _ in ranked[:EXPLAINED_CAUSES]]
        reasons = self.explainer.explain_each(clean, explained, rows)
        make = _ranked_cause
        causes = [
            make(info[i], p[i], tuple(up), tuple(down))
            for i, (up, down) in zip(order, reasons, strict=False)  # the explained ones
        ]
        causes += [make(info[i], p[i], (), ()) for i in order[len(causes) :]]

        suspects = [r.suspect for r in decision.rules if r.suspect is not None]
        # in_question reads only the probabilities of the causes scores support.
        supported = {cid: p[i] for cid, i in self._supported}
        scores = self._mark_shown(scores, clean, supported, suspects)
        return construct(
            Assessment,
            case=case,
            answers=clean,
            conditions=tuple(causes),
            other_cause_probability=p[leak],
            triage=decision,
            contributors=tuple(self._contributors(clean, ranked, suspects)),
            scores=scores,
            advice=select_ranked_advice(kb, ranked, suspects, decision.level, clean),
            disclaimer=self._disclaimer,
            kb=kb,
        )

    def triage_level(
        self, answers: Mapping[str, Any] | None, unsure: Iterable[str] = ()
    ) -> TriageLevel:
        """``assess(answers, unsure=unsure).level``, without the rest of the assessment."""
        clean = self._parse(answers or {})
        rows = self.model.rows_for(self.kb, clean)
        return self._triage(clean, self.scores(clean), rows, unsure).level

    def _triage(
        self,
        clean: Mapping[str, Value],
        scores: Mapping[str, ScoreResult],
        rows: list[int],
        unsure: Iterable[str],
        post: FloatArray | None = None,
    ) -> TriageDecision:
        """The triage decision, with the unsure warning signs' floors (``_unsure``)."""
        decision = self._decide(clean, scores, rows, post)
        if unsure and (extra := unsure_rules(self.kb, clean, unsure, self._decide)):
            level = decision.level
            for r in extra:
                level = higher(level, r.level)
            rules = sorted((*decision.rules, *extra), key=lambda r: -RANK[r.level])
            decision = replace(decision, level=level, rules=tuple(rules))
        return decision

    def _mark_shown(
        self,
        scores: Mapping[str, ScoreResult],
        answers: Mapping[str, Value],
        probabilities: Mapping[str, float],
        suspects: list[str],
    ) -> dict[str, ScoreResult]:
        """``scores.mark_shown``, with the hidden copies of memoised results kept."""
        out: dict[str, ScoreResult] = {}
        for sid, s in scores.items():
            shown = in_question(self.kb, s, answers, probabilities, suspects)
            if s.shown == shown:
                out[sid] = s
                continue
            key = (id(s), shown)
            hit = self._shown.get(key)
            if hit is None or hit[0] is not s:
                if len(self._shown) >= self.SCORE_MEMO_LIMIT:
                    self._shown.clear()
                hit = self._shown[key] = (s, shown_copy(s, shown))
            out[sid] = hit[1]
        return out

    def _decide(
        self,
        answers: Mapping[str, Value],
        scores: Mapping[str, ScoreResult] | None = None,
        rows: list[int] | None = None,
        post: FloatArray | None = None,
    ) -> TriageDecision:
        """``triage(kb, model, answers, compute_scores(kb, answers))``, from the compiled
        tables (``rows``, ``post``: the answers' rows and posterior, if already known)."""
        rules = self.rules.fired(answers, self.scores(answers) if scores is None else scores)
        trigger = probability_triage(self.kb, self.model, answers, rows, post)
        level = trigger.level
        for r in rules:
            level = higher(level, r.level)
        rules.sort(key=lambda r: -RANK[r.level])
        return _decision(level, tuple(rules), trigger)

    def _contributors(
        self, answers: Mapping[str, Value], ranked: list[tuple[str, float]], suspects: list[str]
    ) -> list[str]:
        """Present findings that contribute to the top cause or any cause past the threshold."""
        threshold = self.kb.policy.contributor_threshold
        named = [cid for n, (cid, p) in enumerate(ranked) if n == 0 or p >= threshold]
        named += [s for s in suspects if s in self.kb.conditions and s not in named]
        out: list[str] = []
        for cid in named:
            for f in self._contributor_findings[cid]:
                if answers.get(f) is True and f not in out:
                    out.append(f)
        return out


@cache
def default_engine() -> Engine:
    return Engine()


def assess(answers: Mapping[str, Any] | None = None, case: str | None = None) -> Assessment:
    """Assess a set of answers (finding id -> value) with the packaged knowledge base."""
    return default_engine().assess(answers, case)


__all__ = ["RANK", "Assessment", "Engine", "RankedCause", "assess", "default_engine"]
