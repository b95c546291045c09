"""Advice for the most likely causes, filtered by what else might be wrong.

An item is withheld when any condition it could harm is still reasonably
possible (posterior at or above the policy threshold, or suspected by a fired
warning sign), whichever cause ranks first: leg raising and compression are
withheld while arterial disease is possible, massage while a clot is possible.
The policy's contraindications add to each item's own list by tag, so an item
tagged ``leg_raising`` is withheld while arterial disease is possible even if
its author forgot to say so. Items tagged with a never-advised treatment
(quinine) are never shown.

Advice comes only from causes at ADVICE_THRESHOLD (10%) or more and from the causes
a warning sign suspects; the contraindications are still checked against every
cause at the policy's possible_threshold (5%) and every suspected cause.

One level, one message (``level`` given): nothing from a lower level than the one
shown. An item's level is that of its care tag (emergency_care, urgent_care,
routine_care). On an emergency result there is no home care, no appointment and no
"get help sooner if" (nothing is sooner than now): the emergency page says what to
do while waiting (``while_waiting``, from emergency.yaml). Below emergency, items of
a lower level are dropped, and "get help sooner if" keeps only signs that would
raise the level, that the person has not already reported (``warns_of``) and that
fit them (``shown_if``: age, sex, pregnancy, medicines; unknown keeps the item).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from legpain.engine._answers import Value
from legpain.engine.scores import evaluate
from legpain.knowledge import TRIAGE_ORDER, KnowledgeBase, TriageLevel
from legpain.knowledge._schema import Advice, AdviceKind, EmergencyStep

ADVICE_KINDS: tuple[AdviceKind, ...] = ("tonight", "watch_for", "tests", "ask_doctor")
MAX_CAUSES_ADVISED = 3
# Judgement: advice is for the causes worth acting on. Under 10% a cause is one in
# ten or less likely, and its home care (from 7%, issue 10) crowded out the advice
# for the likely causes; its harms are still guarded at possible_threshold (5%).
ADVICE_THRESHOLD = 0.10
CARE_TAGS: dict[str, TriageLevel] = {
    "emergency_care": "emergency",
    "urgent_care": "urgent",
    "routine_care": "routine",
}
_RANK = {level: i for i, level in enumerate(TRIAGE_ORDER)}
# A watch_for item without a care tag says "see a doctor if": routine.
WATCH_DEFAULT_LEVEL: TriageLevel = "routine"


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


def care_level(tags: Iterable[str]) -> TriageLevel | None:
    """The highest level an item's care tags speak of (None: no care tag)."""
    levels: list[TriageLevel] = [CARE_TAGS[t] for t in tags if t in CARE_TAGS]
    if not levels:
        return None
    return max(levels, key=_RANK.__getitem__)


def fits_level(a: Advice, level: TriageLevel) -> bool:
    """Whether an item speaks of the level shown (see the module doc)."""
    if level == "emergency":
        return False  # the emergency page has only the call and what to do while waiting
    own = care_level(a.tags)
    if a.kind == "watch_for":
        return _RANK[own or WATCH_DEFAULT_LEVEL] > _RANK[level]
    return own is None or _RANK[own] >= _RANK[level]


def fits_person(a: Advice, answers: Mapping[str, Value]) -> bool:
    """Not for someone it does not fit, nor a warning of a sign already reported."""
    if a.shown_if is not None and evaluate(a.shown_if, answers, {}) is False:
        return False
    return not (a.kind == "watch_for" and any(answers.get(f) is True for f in a.warns_of))


def while_waiting(kb: KnowledgeBase, suspects: Iterable[str]) -> list[EmergencyStep]:
    """What to do while waiting for emergency help: the steps for the suspected
    causes first (file order), then those for every emergency."""
    wanted = set(suspects)
    own = [e for e in kb.emergency if wanted & set(e.suspects)]
    return own + [e for e in kb.emergency if "any" in e.suspects and e not in own]


def select_advice(
    kb: KnowledgeBase,
    ranked: Sequence[tuple[str, float]],
    suspects: Iterable[str] = (),
    level: TriageLevel | None = None,
    answers: Mapping[str, Value] | None = None,
) -> AdviceSelection:
    """``ranked``: (condition id, probability) for the conditions (leak excluded).
    ``level``: the triage level shown (items of a lower level are left out);
    ``answers``: the person's answers (items that do not fit them are left out)."""
    return select_ranked_advice(kb, sorted(ranked, key=lambda cp: -cp[1]), suspects, level, answers)


def select_ranked_advice(
    kb: KnowledgeBase,
    ranked: Sequence[tuple[str, float]],
    suspects: Iterable[str] = (),
    level: TriageLevel | None = None,
    answers: Mapping[str, Value] | None = None,
) -> AdviceSelection:
    """``select_advice`` for ``ranked`` already in order, most probable first (as
    ``sorted(ranked, key=lambda cp: -cp[1])`` leaves it): the sort is not redone."""
    suspects = [s for s in suspects if s in kb.conditions]
    possible = possible_conditions(kb, ranked, suspects)
    advised = [cid for cid, p in ranked[:MAX_CAUSES_ADVISED] if p >= ADVICE_THRESHOLD]
    advised = list(dict.fromkeys([*advised, *suspects]))
    # The selection depends only on these: memoised on them.
    memo, person = _selection_memo(kb)
    key = (
        tuple(advised),
        frozenset(possible),
        level,
        None if answers is None else tuple(map(answers.get, person)),
    )
    hit = memo.get(key)
    if hit is not None:
        return hit
    selection = _select(kb, advised, possible, level, answers)
    if len(memo) >= SELECTION_MEMO_LIMIT:
        memo.clear()
    memo[key] = selection
    return selection


SELECTION_MEMO_LIMIT = 5_000  # entries per knowledge base; cleared when full
_SELECTIONS: dict[int, tuple[KnowledgeBase, dict[Any, AdviceSelection], tuple[str, ...]]] = {}


def _selection_memo(kb: KnowledgeBase) -> tuple[dict[Any, AdviceSelection], tuple[str, ...]]:
    """The memo of selections for ``kb``, and the findings ``fits_person`` reads."""
    hit = _SELECTIONS.get(id(kb))
    if hit is None or hit[0] is not kb:
        person: set[str] = set()
        for a in kb.advice:
            if a.shown_if is not None:
                person |= a.shown_if.findings()
            person.update(a.warns_of)
        hit = _SELECTIONS[id(kb)] = (kb, {}, tuple(sorted(person)))
    return hit[1], hit[2]


def clear_selection_memo(kb: KnowledgeBase) -> None:
    """Empty the memo of selections for ``kb``."""
    _selection_memo(kb)[0].clear()


def _select(
    kb: KnowledgeBase,
    advised: list[str],
    possible: set[str],
    level: TriageLevel | None,
    answers: Mapping[str, Value] | None,
) -> AdviceSelection:
    chosen: list[tuple[int, AdviceItem]] = []
    withheld: list[WithheldAdvice] = []
    table = _compiled(kb)
    # Only the items for an advised cause or for any cause can be chosen or withheld.
    # An item's rank: the first advised cause it lists (advised has no repeats), else
    # after them all.
    index = _by_condition(kb)
    ranks: dict[int, int] = {}
    for i, cid in enumerate(advised):
        for k in index.get(cid, ()):
            ranks.setdefault(k, i)
    candidates = ranks.keys() | index.get("any", ())
    if level is not None:
        candidates &= _levels_fitting(kb)[level]
    person = _reads_person(kb)
    default = len(advised)
    for k in sorted(candidates):  # the knowledge base's order
        a, avoid, never_advised, item = table[k]
        if answers is not None and person[k] and not fits_person(a, answers):
            continue
        blocked = () if avoid.isdisjoint(possible) else tuple(sorted(avoid & possible))
        if blocked or never_advised:
            withheld.append(WithheldAdvice(a.id, a.text, blocked))
            continue
        chosen.append((ranks.get(k, default), item))
    chosen.sort(key=_first)  # stable: within a cause, the KB's order
    return AdviceSelection(items=tuple(a for _, a in chosen), withheld=tuple(withheld))


_Compiled = tuple[tuple[Advice, frozenset[str], bool, AdviceItem], ...]
_COMPILED: dict[int, tuple[KnowledgeBase, _Compiled]] = {}
_BY_CONDITION: dict[int, tuple[KnowledgeBase, dict[str, tuple[int, ...]]]] = {}
_FITS_LEVEL: dict[int, tuple[KnowledgeBase, dict[tuple[int, TriageLevel], bool]]] = {}


def _by_condition(kb: KnowledgeBase) -> dict[str, tuple[int, ...]]:
    """Condition id (or "any") -> the positions of the advice items listing it."""
    hit = _BY_CONDITION.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    index: dict[str, list[int]] = {}
    for k, a in enumerate(kb.advice):
        for c in dict.fromkeys(a.conditions):
            index.setdefault(c, []).append(k)
    table = {c: tuple(ks) for c, ks in index.items()}
    _BY_CONDITION[id(kb)] = (kb, table)
    return table


_first = operator.itemgetter(0)
_LEVELS_FITTING: dict[int, tuple[KnowledgeBase, dict[TriageLevel, frozenset[int]]]] = {}
_READS_PERSON: dict[int, tuple[KnowledgeBase, tuple[bool, ...]]] = {}


def _levels_fitting(kb: KnowledgeBase) -> dict[TriageLevel, frozenset[int]]:
    """Per level, the positions of the advice items that fit it (``fits_level``).
    Built once per knowledge base."""
    hit = _LEVELS_FITTING.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    table = {
        lv: frozenset(k for k in range(len(kb.advice)) if _fits_level(kb, k, lv))
        for lv in TRIAGE_ORDER
    }
    _LEVELS_FITTING[id(kb)] = (kb, table)
    return table


def _reads_person(kb: KnowledgeBase) -> tuple[bool, ...]:
    """Per advice item, whether ``fits_person`` can be false for it at all (it has a
    ``shown_if``, or is a watch_for item with ``warns_of``): for the others it is true."""
    hit = _READS_PERSON.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    table = tuple(
        a.shown_if is not None or (a.kind == "watch_for" and bool(a.warns_of)) for a in kb.advice
    )
    _READS_PERSON[id(kb)] = (kb, table)
    return table


def _fits_level(kb: KnowledgeBase, k: int, level: TriageLevel) -> bool:
    """``fits_level(kb.advice[k], level)``, worked out once per item and level."""
    hit = _FITS_LEVEL.get(id(kb))
    if hit is None or hit[0] is not kb:
        hit = _FITS_LEVEL[id(kb)] = (
            kb,
            {(i, lv): fits_level(a, lv) for i, a in enumerate(kb.advice) for lv in TRIAGE_ORDER},
        )
    return hit[1][(k, level)]


def _compiled(kb: KnowledgeBase) -> _Compiled:
    """Per advice item, what does not depend on the answers: the conditions it must
    avoid (its own list and the policy's by tag), whether it is never advised, and
    the item as returned. Built once per knowledge base."""
    hit = _COMPILED.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    never = {n.tag for n in kb.policy.never_advise}
    by_tag: dict[str, set[str]] = {}
    for ci in kb.policy.contraindications:
        by_tag.setdefault(ci.tag, set()).update(ci.avoid_if_possible)
    table = tuple(
        (
            a,
            frozenset(a.avoid_if_possible).union(*(by_tag.get(t, set()) for t in a.tags)),
            bool(never & set(a.tags)),
            AdviceItem(a.id, a.kind, a.text, tuple(a.conditions), a.source),
        )
        for a in kb.advice
    )
    _COMPILED[id(kb)] = (kb, table)
    return table
