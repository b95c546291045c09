"""The knowledge base compiled into log-probability tables for fast exact inference.

Model (docs/design.md): one primary cause C among the conditions plus a leak
("another cause"), findings conditionally independent given C. For every
(finding, value) the table holds a row of log P(value | C) over all causes;
demographic modifiers (age, sex, pregnancy) hold log prior factors instead.
The posterior for any set of answers is then a softmax of the log prior plus
the sum of the answered rows: unanswered findings marginalise to 1 and add
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt

from legpain.knowledge import KnowledgeBase, load_knowledge
from legpain.knowledge._schema import Finding

LEAK = "other_cause"

_add, _subtract, _divide, _exp = np.add, np.subtract, np.divide, np.exp
_add_reduce, _max_reduce = np.add.reduce, np.maximum.reduce

FloatArray = npt.NDArray[np.float64]


def value_label(finding: Finding, value: bool | str | float) -> str:
    """The discrete value the tables are indexed by (a bin label for numbers)."""
    if finding.type == "boolean":
        return "true" if value else "false"
    if finding.type == "choice":
        return str(value)
    assert finding.bins is not None
    x = float(value)
    for b in finding.bins:
        if b.at_least <= x < b.below:
            return b.label
    raise ValueError(f"{finding.id}: {value!r} is outside every bin")


def likelihood_table(kb: KnowledgeBase, finding: Finding) -> dict[str, dict[str, float]]:
    """P(value | cause) for every value and cause (the leak included), from the KB.

    For a modifier finding (no base rate) the numbers are prior factors, 1 where
    a condition gives none.
    """
    out: dict[str, dict[str, float]] = {v: {} for v in finding.values()}
    for cid, cond in kb.conditions.items():
        given: dict[str, float] | None = None
        for lk in cond.likelihoods:
            if lk.finding == finding.id:
                given = (
                    {"true": lk.p, "false": 1 - lk.p} if lk.p is not None else dict(lk.dist or {})
                )
        for m in cond.modifiers:
            if m.finding == finding.id:
                given = dict(m.factors)
        for v in out:
            out[v][cid] = _value_or_default(finding, given, v)
    leak: dict[str, float] | None = None
    for lk in kb.policy.leak_likelihoods:
        if lk.finding == finding.id:
            leak = {"true": lk.p, "false": 1 - lk.p} if lk.p is not None else dict(lk.dist or {})
    for v in out:
        out[v][LEAK] = _value_or_default(finding, leak, v)
    return out


def _value_or_default(finding: Finding, given: dict[str, float] | None, v: str) -> float:
    if given is not None and v in given:
        return given[v]
    if finding.base is None:  # a modifier: unlisted values leave the prior as it is
        return 1.0
    if given is not None and finding.type != "boolean":
        return 0.0  # validated: a dist lists every value
    if finding.base.p is not None:
        return finding.base.p if v == "true" else 1 - finding.base.p
    assert finding.base.dist is not None
    return finding.base.dist[v]


# Probabilities of exactly 0 would make a single answer veto a cause for good;
# the KB keeps them in [0.01, 0.99] by convention, and this floor keeps the
# arithmetic finite if a 0 slips through.
_FLOOR = 1e-9


@dataclass(frozen=True)
class CompiledModel:
    causes: tuple[str, ...]  # condition ids in KB order, then the leak
    log_prior: FloatArray
    rows: FloatArray  # (n_rows, n_causes): log P(value | cause) or log factor
    row_index: dict[tuple[str, str], int]  # (finding id, value label) -> row
    prior: FloatArray  # normalised prior, leak included
    # (finding id, value) -> row, filled as answers are seen (a number maps to its bin's row)
    _row_of: dict[tuple[str, bool | str | float], int] = field(
        default_factory=dict, compare=False, repr=False
    )

    ROW_MEMO_LIMIT = 100_000  # entries; cleared when full

    @property
    def n_conditions(self) -> int:
        return len(self.causes) - 1

    def rows_for(self, kb: KnowledgeBase, answers: dict[str, bool | str | float]) -> list[int]:
        """The table row of each answer, in the answers' order."""
        memo = self._row_of
        try:
            return [memo[item] for item in answers.items()]
        except KeyError:
            pass
        out: list[int] = []
        for fid, v in answers.items():
            row = memo.get((fid, v))
            if row is None:
                row = self.row_index[(fid, value_label(kb.findings[fid], v))]
                if len(memo) >= self.ROW_MEMO_LIMIT:
                    memo.clear()
                memo[(fid, v)] = row
            out.append(row)
        return out

    def posterior_from_rows(self, rows: list[int]) -> FloatArray:
        """Softmax of the log prior plus the rows' sum (the ufuncs called directly,
        in place where they can be: the same arithmetic, fewer temporary arrays)."""
        logits = _add(self.log_prior, _add_reduce(self.rows.take(rows, 0), 0))
        _subtract(logits, _max_reduce(logits), out=logits)
        p = _exp(logits, out=logits)
        _divide(p, _add_reduce(p), out=p)
        return p  # type: ignore[no-any-return]


def compile_model(kb: KnowledgeBase) -> CompiledModel:
    causes = (*kb.conditions.keys(), LEAK)
    prior = np.array([c.prior.p for c in kb.conditions.values()] + [kb.policy.leak_prior.p])
    prior = prior / prior.sum()
    rows: list[list[float]] = []
    index: dict[tuple[str, str], int] = {}
    for fid, finding in kb.findings.items():
        table = likelihood_table(kb, finding)
        for v, by_cause in table.items():
            index[(fid, v)] = len(rows)
            rows.append([float(np.log(max(by_cause[c], _FLOOR))) for c in causes])
    return CompiledModel(
        causes=causes,
        log_prior=np.log(prior),
        rows=np.array(rows, dtype=np.float64),
        row_index=index,
        prior=prior,
    )


@cache
def default_model() -> CompiledModel:
    return compile_model(load_knowledge())
