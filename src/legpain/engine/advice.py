"""Advice for the most likely causes, filtered by what else might be wrong.

An item is withheld when any condition it could harm is still reasonably
possible (posterior at or above the policy threshold, or suspected by a fired
warning sign), whichever cause ranks first: leg raising and compression are
withheld while arterial disease is possible, massage while a clot is possible.
Items tagged with a never-advised treatment (quinine) are never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from legpain.knowledge import KnowledgeBase
from legpain.knowledge._schema import AdviceKind

ADVICE_KINDS: tuple[AdviceKind, ...] = ("tonight", "watch_for", "tests", "ask_doctor")
MAX_CAUSES_ADVISED = 3


@dataclass(frozen=True)
class AdviceItem:
    id: str
    kind: AdviceKind
    text: str
    conditions: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class WithheldAdvice:
    id: str
    text: str
    because_possible: tuple[str, ...]


@dataclass(frozen=True)
class AdviceSelection:
    items: tuple[AdviceItem, ...]
    withheld: tuple[WithheldAdvice, ...]

    def by_kind(self, kind: AdviceKind) -> list[AdviceItem]:
        return [a for a in self.items if a.kind == kind]


def possible_conditions(
    kb: KnowledgeBase, ranked: Sequence[tuple[str, float]], suspects: Iterable[str] = ()
) -> set[str]:
    threshold = kb.policy.possible_threshold
    return {cid for cid, p in ranked if p >= threshold} | set(suspects)


def select_advice(
    kb: KnowledgeBase, ranked: Sequence[tuple[str, float]], suspects: Iterable[str] = ()
) -> AdviceSelection:
    """``ranked``: (condition id, probability), most probable first (leak excluded)."""
    suspects = [s for s in suspects if s in kb.conditions]
    possible = possible_conditions(kb, ranked, suspects)
    advised = [cid for cid, p in ranked[:MAX_CAUSES_ADVISED] if p >= kb.policy.possible_threshold]
    advised = list(dict.fromkeys([*(advised or [ranked[0][0]]), *suspects]))
    order = {cid: i for i, cid in enumerate(advised)}
    never = {n.tag for n in kb.policy.never_advise}

    chosen: list[tuple[int, AdviceItem]] = []
    withheld: list[WithheldAdvice] = []
    for a in kb.advice:
        relevant = [c for c in a.conditions if c in order]
        if not relevant and "any" not in a.conditions:
            continue
        blocked = tuple(c for c in a.avoid_if_possible if c in possible)
        if blocked or never & set(a.tags):
            withheld.append(WithheldAdvice(a.id, a.text, blocked))
            continue
        rank = min((order[c] for c in relevant), default=len(order))
        chosen.append((rank, AdviceItem(a.id, a.kind, a.text, tuple(a.conditions), a.source)))
    chosen.sort(key=lambda t: t[0])  # stable: within a cause, the KB's order
    return AdviceSelection(items=tuple(a for _, a in chosen), withheld=tuple(withheld))
