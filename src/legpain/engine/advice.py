"""Advice for the most likely causes, filtered by what else might be wrong.

An item is withheld when any condition it could harm is still reasonably
possible (posterior at or above the policy threshold, or suspected by a fired
warning sign), whichever cause ranks first: leg raising and compression are
withheld while arterial disease is possible, massage while a clot is possible.
The policy's contraindications add to each item's own list by tag, so an item
tagged ``leg_raising`` is withheld while arterial disease is possible even if
its author forgot to say so. Items tagged with a never-advised treatment
(quinine) are never shown.
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
    """``ranked``: (condition id, probability) for the conditions (leak excluded)."""
    ranked = sorted(ranked, key=lambda cp: -cp[1])
    suspects = [s for s in suspects if s in kb.conditions]
    possible = possible_conditions(kb, ranked, suspects)
    advised = [cid for cid, p in ranked[:MAX_CAUSES_ADVISED] if p >= kb.policy.possible_threshold]
    advised = list(dict.fromkeys([*(advised or [ranked[0][0]]), *suspects]))
    order = {cid: i for i, cid in enumerate(advised)}
    never = {n.tag for n in kb.policy.never_advise}
    by_tag: dict[str, set[str]] = {}
    for ci in kb.policy.contraindications:
        by_tag.setdefault(ci.tag, set()).update(ci.avoid_if_possible)

    chosen: list[tuple[int, AdviceItem]] = []
    withheld: list[WithheldAdvice] = []
    for a in kb.advice:
        relevant = [c for c in a.conditions if c in order]
        if not relevant and "any" not in a.conditions:
            continue
        avoid = set(a.avoid_if_possible).union(*(by_tag.get(t, set()) for t in a.tags))
        blocked = tuple(sorted(c for c in avoid if c in possible))
        if blocked or never & set(a.tags):
            withheld.append(WithheldAdvice(a.id, a.text, blocked))
            continue
        rank = min((order[c] for c in relevant), default=len(order))
        chosen.append((rank, AdviceItem(a.id, a.kind, a.text, tuple(a.conditions), a.source)))
    chosen.sort(key=lambda t: t[0])  # stable: within a cause, the KB's order
    return AdviceSelection(items=tuple(a for _, a in chosen), withheld=tuple(withheld))
