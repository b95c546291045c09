"""Explanations: which answers raised or lowered a cause, and by how much.

The strength of an answer for cause c is its likelihood ratio
P(answer | c) / P(answer | not c), where "not c" is the prior-weighted mixture
of every other cause (the leak included). For age, sex and pregnancy the same
ratio is taken over prior factors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from legpain.engine._answers import Value
from legpain.engine._model import LEAK, CompiledModel
from legpain.knowledge import KnowledgeBase

MAX_REASONS = 4
# Ratios within this band of 1 say nothing worth a person's attention.
NEUTRAL_BAND = 1.25


@dataclass(frozen=True)
class Reason:
    finding: str
    value: Value
    likelihood_ratio: float
    text: str
    source: str

    def to_dict(self) -> dict[str, object]:
        return {
            "finding": self.finding,
            "value": self.value,
            "likelihood_ratio": round(self.likelihood_ratio, 2),
            "text": self.text,
            "source": self.source,
        }


def _answer_phrase(kb: KnowledgeBase, fid: str, value: Value) -> str:
    f = kb.findings[fid]
    if f.type == "boolean":
        return f"{f.label}: {'yes' if value else 'no'}"
    if fid == "age":
        return f"your age ({value:g})" if isinstance(value, float) else f"your age ({value})"
    if fid == "sex":
        return f"your sex ({value})"
    if f.type == "number":
        return f"{f.label} {value:g}" if isinstance(value, float) else f"{f.label} {value}"
    return f"{f.label}: {value}"


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lower_first(s: str) -> str:
    # Keep acronyms and proper names intact ("DVT", "Willis-Ekbom").
    return s[:1].lower() + s[1:] if s[1:2].islower() else s


def _source_of(kb: KnowledgeBase, cid: str, fid: str) -> str:
    if cid == LEAK:
        return "judgement"
    cond = kb.conditions[cid]
    for lk in cond.likelihoods:
        if lk.finding == fid:
            return lk.source
    for m in cond.modifiers:
        if m.finding == fid:
            return m.source
    base = kb.findings[fid].base
    return base.source if base is not None else "judgement"


def explain(
    kb: KnowledgeBase,
    model: CompiledModel,
    answers: Mapping[str, Value],
    cause: str,
) -> tuple[list[Reason], list[Reason]]:
    """The answers that raised and lowered ``cause`` most, strongest first."""
    if not answers:
        return [], []
    c = model.causes.index(cause)
    fids = list(answers)
    rows = model.rows[model.rows_for(kb, dict(answers))]
    lik = np.exp(rows)  # (n_answers, n_causes)
    w = model.prior.copy()
    w[c] = 0.0
    w /= w.sum()
    lr = lik[:, c] / (lik @ w)
    cname = kb.conditions[cause].name if cause != LEAK else "another cause"
    up: list[Reason] = []
    down: list[Reason] = []
    for i in np.argsort(-np.abs(np.log(lr))):
        ratio = float(lr[i])
        if 1 / NEUTRAL_BAND < ratio < NEUTRAL_BAND:
            continue
        fid = fids[i]
        phrase = _answer_phrase(kb, fid, answers[fid])
        if ratio >= 1:
            text = f"{_upper_first(phrase)}. This makes {_lower_first(cname)} about {ratio:.1f} times more likely."
        else:
            text = f"{_upper_first(phrase)}. This makes {_lower_first(cname)} about {1 / ratio:.1f} times less likely."
        reason = Reason(fid, answers[fid], ratio, text, _source_of(kb, cause, fid))
        (up if ratio >= 1 else down).append(reason)
    return up[:MAX_REASONS], down[:MAX_REASONS]
