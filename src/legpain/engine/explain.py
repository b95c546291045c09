"""Explanations: which answers raised or lowered a cause, and by how much.

The strength of an answer for cause c is its likelihood ratio
P(answer | c) / P(answer | not c), where "not c" is the prior-weighted mixture
of every other cause (the leak included). For age, sex and pregnancy the same
ratio is taken over prior factors.

People read words, doctors read numbers: the text says how strongly an answer
points to or away from a cause ("strongly", "moderately", "slightly"), in plain
words for the answer ("in one leg only", "more common in females", "a common age
for it"), and the ratio itself stays in ``Reason.to_dict()``. Probabilities are
shown with ``format_probability``, which never prints 0% or 100%.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from legpain.engine._answers import Value
from legpain.engine._made import construct
from legpain.engine._model import LEAK, CompiledModel, FloatArray
from legpain.knowledge import KnowledgeBase

MAX_REASONS = 4
# Ratios within this band of 1 say nothing worth a person's attention.
NEUTRAL_BAND = 1.25

Strength = Literal["slightly", "moderately", "strongly"]
# Bands of the ratio (or of its inverse, for answers that point away). McGee's
# bedside rule (J Gen Intern Med 2002;17:647-50, Table 1): a ratio of 2 moves a
# probability by about 15 points, 5 by about 30, 10 by about 45. Under 2 is
# "slightly" (under 15 points), 2 to 5 "moderately", 5 and over "strongly".
STRENGTH_BANDS: tuple[tuple[float, Strength], ...] = ((5.0, "strongly"), (2.0, "moderately"))


def strength_of(ratio: float) -> Strength:
    """How strongly a likelihood ratio points (either way), in words."""
    r = ratio if ratio >= 1 else 1 / ratio
    for at_least, word in STRENGTH_BANDS:
        if r >= at_least:
            return word
    return "slightly"


def format_probability(p: float) -> str:
    """A probability for people: whole percent, but never "0%" or "100%"
    (the model is never certain): "under 1%" and "over 99%" instead.

    The shared formatter for every interface (CLI, web, PDF)."""
    percent = round(100 * p)
    if percent >= 100:
        return "over 99%"
    if percent <= 0:
        return "under 1%"
    return f"{percent:d}%"


@dataclass(frozen=True)
class Reason:
    finding: str
    value: Value
    likelihood_ratio: float
    text: str
    source: str

    @property
    def strength(self) -> Strength:
        return strength_of(self.likelihood_ratio)

    def to_dict(self) -> dict[str, object]:
        return {
            "finding": self.finding,
            "value": self.value,
            "likelihood_ratio": round(self.likelihood_ratio, 2),
            "strength": self.strength,
            "direction": "for" if self.likelihood_ratio >= 1 else "against",
            "text": self.text,
            "source": self.source,
        }


SIDE_PHRASE = {
    "left": "in one leg only",
    "right": "in one leg only",
    "both": "in both legs",
    "alternating": "in one leg, then the other",
}
SEX_WORD = {"female": "females", "male": "males"}  # children too: not "women"/"men"


def _number(value: Value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _answer_phrase(kb: KnowledgeBase, fid: str, value: Value, up: bool, cname: str) -> str:
    """The answer in words, without ratios ("Pain in the calf: yes", "In one leg only")."""
    f = kb.findings[fid]
    if fid == "age":
        return f"Age {_number(value)}: {'a common' if up else 'a less common'} age for {cname}"
    if fid == "sex" and isinstance(value, str) and value in SEX_WORD:
        return f"{_upper_first(cname)}: {'more' if up else 'less'} common in {SEX_WORD[value]}"
    if fid == "side" and isinstance(value, str) and value in SIDE_PHRASE:
        return f"The pain is {SIDE_PHRASE[value]}"
    if f.type == "boolean":
        return f"{f.label}: {'yes' if value else 'no'}"
    if f.type == "number":
        unit = f" {f.unit}" if f.unit else ""
        return f"{f.label}: {_number(value)}{unit}"
    return f"{f.label}: {str(value).replace('_', ' ')}"


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def short_name(name: str) -> str:
    """A condition's name without its bracketed gloss ("Sciatica (lumbar ...)" -> "Sciatica")."""
    return name.split(" (", 1)[0].strip()


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


class Explainer:
    """``explain`` compiled once per knowledge base and model: the likelihoods as
    probabilities, each cause's "not c" weights, names and sources, and the texts
    already written (an answer's text for a cause depends only on the answer, its
    direction and its strength word)."""

    def __init__(self, kb: KnowledgeBase, model: CompiledModel) -> None:
        self.kb, self.model = kb, model
        self.lik = np.exp(model.rows)  # (n_rows, n_causes): P(value | cause) or a factor
        self.index = {cid: c for c, cid in enumerate(model.causes)}
        self.weights: list[FloatArray] = []
        for c in range(len(model.causes)):
            w = model.prior.copy()
            w[c] = 0.0
            w /= w.sum()
            self.weights.append(w)
        self.names = {
            cid: _lower_first(
                short_name(kb.conditions[cid].name if cid != LEAK else "another cause")
            )
            for cid in model.causes
        }
        self.sources = {
            (cid, fid): _source_of(kb, cid, fid) for cid in model.causes for fid in kb.findings
        }
        self._texts: dict[tuple[str, str, Value, bool, Strength], str] = {}
        # Each reason made, by cause, finding, value and ratio (it is immutable): the
        # same answer gives the same ratio for a cause in most answer sets.
        self._reasons: dict[tuple[str, str, Value, float], Reason] = {}

    REASON_MEMO_LIMIT = 100_000  # entries; cleared when full

    def explain(
        self, answers: Mapping[str, Value], cause: str, rows: Sequence[int] | None = None
    ) -> tuple[list[Reason], list[Reason]]:
        """As ``explain``; ``rows``: the answers' table rows, if already looked up."""
        if not answers:
            return [], []
        if rows is None:
            rows = self.model.rows_for(self.kb, dict(answers))
        return self.explain_each(answers, (cause,), rows)[0]

    def explain_each(
        self, answers: Mapping[str, Value], causes: Sequence[str], rows: Sequence[int]
    ) -> list[tuple[list[Reason], list[Reason]]]:
        """``explain`` for each of ``causes``, the answers' rows looked up once.

        Each cause's "not c" mixture is its own matrix-vector product over the
        answers' rows, as it always was (a product over all rows at once, or over
        several causes, can differ in the last bit); the ratios, their order and
        the reasons of all the causes are then worked out together."""
        if not answers or not causes:
            return [([], []) for _ in causes]
        fids = list(answers)
        values = list(answers.values())
        lik = self.lik.take(rows, 0)  # (n_answers, n_causes)
        cols = [self.index[cause] for cause in causes]
        weights = self.weights
        mix = np.concatenate([lik @ weights[c] for c in cols]).reshape(len(cols), len(fids))
        lr = np.divide(lik.take(cols, 1).T, mix, out=mix)  # (n_causes asked, n_answers)
        key = np.log(lr)  # the order: by -|log ratio|, worked out in one buffer
        np.abs(key, out=key)
        np.negative(key, out=key)
        orders = key.argsort(axis=1).tolist()
        texts, sources, made = self._texts, self.sources, self._reasons
        low, high = 1 / NEUTRAL_BAND, NEUTRAL_BAND
        out: list[tuple[list[Reason], list[Reason]]] = []
        for cause, ratios, order in zip(causes, lr.tolist(), orders, strict=True):
            up: list[Reason] = []
            down: list[Reason] = []
            for i in order:
                ratio = ratios[i]
                if low < ratio < high:
                    continue
                pointing_up = ratio >= 1
                kept = up if pointing_up else down
                if len(kept) >= MAX_REASONS:
                    if len(up) >= MAX_REASONS and len(down) >= MAX_REASONS:
                        break
                    continue  # only the strongest few are kept
                fid = fids[i]
                value = values[i]
                key = (cause, fid, value, ratio)
                reason = made.get(key)
                if reason is None:
                    word = strength_of(ratio)
                    tkey = (cause, fid, value, pointing_up, word)
                    text = texts.get(tkey)
                    if text is None:
                        text = texts[tkey] = self._text(cause, fid, value, pointing_up, word)
                    reason = construct(
                        Reason,
                        finding=fid,
                        value=value,
                        likelihood_ratio=ratio,
                        text=text,
                        source=sources[(cause, fid)],
                    )
                    if len(made) >= self.REASON_MEMO_LIMIT:
                        made.clear()
                    made[key] = reason
                kept.append(reason)
            out.append((up, down))
        return out

    def _text(self, cause: str, fid: str, value: Value, up: bool, word: Strength) -> str:
        name = self.names[cause]
        phrase = _answer_phrase(self.kb, fid, value, up, name)
        towards = "to" if up else "away from"
        named = fid in ("age", "sex")  # the phrase already names the cause
        return f"{_upper_first(phrase)}. This points {word} {towards} {'it' if named else name}."


# The last few explainers, by knowledge base and model (held, so their ids stay theirs).
_EXPLAINERS: list[tuple[KnowledgeBase, CompiledModel, Explainer]] = []
_KEPT_EXPLAINERS = 8


def explainer(kb: KnowledgeBase, model: CompiledModel) -> Explainer:
    for k, m, e in _EXPLAINERS:
        if k is kb and m is model:
            return e
    e = Explainer(kb, model)
    _EXPLAINERS.insert(0, (kb, model, e))
    del _EXPLAINERS[_KEPT_EXPLAINERS:]
    return e


def explain(
    kb: KnowledgeBase,
    model: CompiledModel,
    answers: Mapping[str, Value],
    cause: str,
) -> tuple[list[Reason], list[Reason]]:
    """The answers that raised and lowered ``cause`` most, strongest first."""
    return explainer(kb, model).explain(answers, cause)
