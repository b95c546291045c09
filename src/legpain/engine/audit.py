"""An audit of the knowledge base's numbers: which are read from a source, which
are judged, and which judged likelihood ratios are extreme.

The likelihood ratio of a likelihood is P(value | condition) / P(value | base):
for a yes/no finding p / base p, for a choice or number finding one ratio per
value. A judged ratio above 10 or below 1/10 moves a probability by about 45
points on its own (McGee 2002), so a reviewer should look at each one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from legpain.engine._model import LEAK
from legpain.knowledge import KnowledgeBase
from legpain.knowledge._schema import Likelihood, Sourced

EXTREME_RATIO = 10.0


@dataclass(frozen=True)
class ExtremeRatio:
    cause: str
    finding: str
    value: str
    p: float
    base: float
    ratio: float


@dataclass(frozen=True)
class CauseAudit:
    cause: str
    evidence: int  # numbers read from a source (evidence and where)
    judged: int  # numbers with source: judgement
    extreme_judged: tuple[ExtremeRatio, ...]


def _judged(x: Sourced) -> bool:
    return x.source == "judgement"


def _ratios(kb: KnowledgeBase, cause: str, lk: Likelihood) -> list[ExtremeRatio]:
    f = kb.findings.get(lk.finding)
    if f is None or f.base is None:
        return []
    pairs: list[tuple[str, float, float]] = []
    if lk.p is not None and f.base.p is not None:
        pairs.append(("yes", lk.p, f.base.p))
    elif lk.dist is not None and f.base.dist is not None:
        pairs += [(v, lk.dist[v], f.base.dist[v]) for v in lk.dist if v in f.base.dist]
    out: list[ExtremeRatio] = []
    for value, p, base in pairs:
        ratio = p / base if base > 0 else float("inf")
        if ratio > EXTREME_RATIO or ratio < 1 / EXTREME_RATIO:
            out.append(ExtremeRatio(cause, lk.finding, value, p, base, ratio))
    return out


def audit(kb: KnowledgeBase) -> list[CauseAudit]:
    """Per condition (then the leak, "another cause", from policy.yaml): the counts
    of sourced and judged numbers (prior, care threshold, modifiers, likelihoods)
    and every judged likelihood ratio beyond EXTREME_RATIO either way."""
    rows: list[CauseAudit] = []
    for cid, c in kb.conditions.items():
        numbers: list[Sourced] = [c.prior, c.care, *c.modifiers, *c.likelihoods]
        extreme = [r for lk in c.likelihoods if _judged(lk) for r in _ratios(kb, cid, lk)]
        rows.append(
            CauseAudit(
                cid,
                evidence=sum(not _judged(n) for n in numbers),
                judged=sum(_judged(n) for n in numbers),
                extreme_judged=tuple(sorted(extreme, key=lambda r: -abs(_log(r.ratio)))),
            )
        )
    leak_numbers: list[Sourced] = [kb.policy.leak_prior, *kb.policy.leak_likelihoods]
    leak_extreme = [
        r for lk in kb.policy.leak_likelihoods if _judged(lk) for r in _ratios(kb, LEAK, lk)
    ]
    rows.append(
        CauseAudit(
            LEAK,
            evidence=sum(not _judged(n) for n in leak_numbers),
            judged=sum(_judged(n) for n in leak_numbers),
            extreme_judged=tuple(leak_extreme),
        )
    )
    return rows


def _log(x: float) -> float:
    return math.log(x) if 0 < x < math.inf else math.inf
