"""The condition library: one page per condition, built only from the knowledge base.

Nothing here is clinical text of its own. A page says what a condition is and why it
is worse at night (the condition's ``summary``), what points to it and away (its
likelihoods against the base rates of findings.yaml, in the engine's words for
strength), what a person can do tonight (the advice written for it, never an item
that its own contraindications or the policy's withhold for that very condition),
when to get help (the red-flag rules whose suspect it is, and its ``watch_for``
advice), the tests and questions for the doctor, and its sources by title.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from legpain.engine._assess import TRIAGE_ACTION
from legpain.engine.explain import short_name, strength_of
from legpain.knowledge import KnowledgeBase, load_knowledge
from legpain.knowledge._schema import Advice, Condition

MAX_SIGNS = 6  # findings shown each way on a page
# A ratio within this band of 1 says little; the engine's explanations use the same band.
NEUTRAL = 1.25


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    intro: str
    conditions: list[str]


class _Library(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    groups: list[_Group]


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    intro: str
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class Sign:
    """A finding and value that points to (ratio > 1) or away from the condition."""

    finding: str
    value: str
    text: str
    strength: str
    likelihood_ratio: float
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding": self.finding,
            "value": self.value,
            "text": self.text,
            "strength": self.strength,
            "likelihood_ratio": round(self.likelihood_ratio, 2),
            "source": self.source,
        }


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class WarningSign:
    id: str
    level: str
    message: str
    action: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "message": self.message,
            "action": self.action,
            "source": self.source,
        }


@dataclass(frozen=True)
class SourceRef:
    key: str
    title: str
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class ConditionPage:
    id: str
    name: str
    short_name: str
    group: Group
    summary: str
    care_level: str
    care_text: str
    icd10: str | None
    snomed: str | None
    points_to: tuple[Sign, ...]
    points_away: tuple[Sign, ...]
    tonight: tuple[Item, ...]
    get_help: tuple[WarningSign, ...]
    watch_for: tuple[Item, ...]
    tests: tuple[Item, ...]
    ask_doctor: tuple[Item, ...]
    sources: tuple[SourceRef, ...]
    withheld_here: tuple[str, ...] = field(default=())  # advice ids unsafe in this condition

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "short_name": self.short_name,
            "group": {"id": self.group.id, "title": self.group.title},
            "summary": self.summary,
            "care": {"level": self.care_level, "text": self.care_text},
            "codes": {"icd10": self.icd10, "snomed": self.snomed},
            "points_to": [s.to_dict() for s in self.points_to],
            "points_away": [s.to_dict() for s in self.points_away],
            "tonight": [i.to_dict() for i in self.tonight],
            "get_help": [w.to_dict() for w in self.get_help],
            "watch_for": [i.to_dict() for i in self.watch_for],
            "tests": [i.to_dict() for i in self.tests],
            "ask_doctor": [i.to_dict() for i in self.ask_doctor],
            "sources": [s.to_dict() for s in self.sources],
        }


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


@cache
def groups() -> tuple[Group, ...]:
    """The library's groups, from ``knowledge/data/library.yaml``."""
    node = resources.files("legpain.knowledge").joinpath("data", "library.yaml")
    raw = _Library.model_validate(yaml.safe_load(node.read_text(encoding="utf-8")))
    return tuple(Group(g.id, g.title, g.intro.strip(), tuple(g.conditions)) for g in raw.groups)


def check_groups(kb: KnowledgeBase) -> list[str]:
    """Problems with the grouping: every condition in exactly one group, no unknown id."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for g in groups():
        for cid in g.conditions:
            if cid not in kb.conditions:
                problems.append(f"library.yaml: group '{g.id}': unknown condition '{cid}'")
            elif cid in seen:
                problems.append(f"library.yaml: '{cid}' is in '{seen[cid]}' and '{g.id}'")
            seen.setdefault(cid, g.id)
    for cid in kb.conditions:
        if cid not in seen:
            problems.append(f"library.yaml: condition '{cid}' is in no group")
    return problems


def group_of(cid: str) -> Group:
    for g in groups():
        if cid in g.conditions:
            return g
    raise KeyError(cid)


def _value_phrase(kb: KnowledgeBase, fid: str, value: str) -> str:
    f = kb.findings[fid]
    if f.type == "boolean":
        return f"{_upper_first(f.label)}: {'yes' if value == 'true' else 'no'}"
    if fid == "side":
        return {
            "left": "Pain in one leg only",
            "right": "Pain in one leg only",
            "both": "Pain in both legs",
            "alternating": "Pain in one leg, then the other",
        }.get(value, f"{_upper_first(f.label)}: {value}")
    return f"{_upper_first(f.label)}: {value.replace('_', ' ')}"


def signs(kb: KnowledgeBase, cond: Condition) -> tuple[list[Sign], list[Sign]]:
    """The strongest findings for and against, as likelihood ratios against the base rate."""
    candidates: dict[tuple[str, str], Sign] = {}
    cname = short_name(cond.name)
    cname = cname[:1].lower() + cname[1:] if cname[1:2].islower() else cname
    for lk in cond.likelihoods:
        f = kb.findings[lk.finding]
        if f.base is None:
            continue
        pairs: list[tuple[str, float, float]] = []
        if lk.p is not None and f.base.p is not None:
            pairs = [("true", lk.p, f.base.p), ("false", 1 - lk.p, 1 - f.base.p)]
        elif lk.dist is not None and f.base.dist is not None:
            pairs = [(v, lk.dist.get(v, 0.0), f.base.dist.get(v, 0.0)) for v in f.values()]
        for value, p, base in pairs:
            if p <= 0 or base <= 0:
                continue
            ratio = p / base
            if 1 / NEUTRAL < ratio < NEUTRAL:
                continue
            if f.type == "boolean" and value == "false" and ratio > 1:
                continue  # "no X points to it" reads oddly and is weak: leave it out
            phrase = _value_phrase(kb, lk.finding, value)
            word = strength_of(ratio)
            towards = "to" if ratio >= 1 else "away from"
            text = f"{phrase}. This points {word} {towards} {cname}."
            key = (
                lk.finding,
                "one_leg" if lk.finding == "side" and value in ("left", "right") else value,
            )
            if key not in candidates or abs(math.log(ratio)) > abs(
                math.log(candidates[key].likelihood_ratio)
            ):
                candidates[key] = Sign(lk.finding, value, text, word, ratio, lk.source)
    ordered = sorted(candidates.values(), key=lambda s: -abs(math.log(s.likelihood_ratio)))
    up = [s for s in ordered if s.likelihood_ratio > 1][:MAX_SIGNS]
    down = [s for s in ordered if s.likelihood_ratio < 1][:MAX_SIGNS]
    return up, down


def unsafe_here(kb: KnowledgeBase, a: Advice, cid: str) -> bool:
    """True if the advice must not be given when ``cid`` is possible: its own list, the
    policy's contraindications for its tags, or a never-advised tag."""
    if {n.tag for n in kb.policy.never_advise} & set(a.tags):
        return True
    avoid = set(a.avoid_if_possible)
    for ci in kb.policy.contraindications:
        if ci.tag in a.tags:
            avoid |= set(ci.avoid_if_possible)
    return cid in avoid


def _sources(kb: KnowledgeBase, keys: list[str | None]) -> tuple[SourceRef, ...]:
    out: dict[str, SourceRef] = {}
    for key in keys:
        if not key or key == "judgement" or key in out or key not in kb.sources:
            continue
        s = kb.sources[key]
        if s.kind == "judgement":
            continue
        out[key] = SourceRef(key, s.title, s.url)
    return tuple(sorted(out.values(), key=lambda s: s.title.lower()))


def condition_page(cid: str, kb: KnowledgeBase | None = None) -> ConditionPage:
    """The library page of one condition; ``KeyError`` if there is no such condition."""
    kb = kb or load_knowledge()
    cond = kb.conditions[cid]
    up, down = signs(kb, cond)
    mine = [a for a in kb.advice if cid in a.conditions]
    safe = [a for a in mine if not unsafe_here(kb, a, cid)]

    def items(kind: str) -> tuple[Item, ...]:
        return tuple(Item(a.id, a.text.strip(), a.source) for a in safe if a.kind == kind)

    rules = [r for r in kb.triage_rules if r.suspect == cid and r.kind == "red_flag"]
    order = {"emergency": 0, "urgent": 1, "routine": 2, "self_care": 3}
    rules.sort(key=lambda r: order[r.level])
    help_ = tuple(WarningSign(r.id, r.level, r.message, r.action, r.source) for r in rules)
    tonight, watch, tests, ask = (items(k) for k in ("tonight", "watch_for", "tests", "ask_doctor"))
    keys: list[str | None] = [cond.prior.source, cond.prior.see, cond.care.source, cond.care.see]
    for part in (*cond.likelihoods, *cond.modifiers, *cond.contributors):
        keys += [part.source, part.see]
    for a in safe:
        keys += [a.source, a.see]
    for r in rules:
        keys += [r.source, r.see]
    return ConditionPage(
        id=cid,
        name=cond.name,
        short_name=short_name(cond.name),
        group=group_of(cid),
        summary=cond.summary.strip(),
        care_level=cond.care.level,
        care_text=TRIAGE_ACTION[cond.care.level],
        icd10=cond.icd10,
        snomed=cond.snomed,
        points_to=tuple(up),
        points_away=tuple(down),
        tonight=tonight,
        get_help=help_,
        watch_for=watch,
        tests=tests,
        ask_doctor=ask,
        sources=_sources(kb, keys),
        withheld_here=tuple(a.id for a in mine if a not in safe),
    )


_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "when",
        "that",
        "this",
        "from",
        "have",
        "has",
        "had",
        "are",
        "was",
        "were",
        "not",
        "but",
        "you",
        "your",
        "my",
        "me",
        "its",
        "it's",
        "all",
        "any",
        "can",
        "get",
        "leg",
        "legs",
        "pain",
        "night",
    ]
)


def search(query: str, kb: KnowledgeBase | None = None) -> list[tuple[str, float]]:
    """Conditions matching lay words, best first: the free-text reader turns the words
    into findings ("burning feet" -> burning, pain in the feet), which score a condition
    by how strongly they point to it; words of its name and summary add to that."""
    kb = kb or load_knowledge()
    query = query.strip()[:200]
    if not query:
        return []
    from legpain.text import parse

    found = {
        fid: ("true" if v is True else str(v))
        for fid, v in parse(query).answers.items()
        if not isinstance(v, float) and v is not False
    }
    words = {w for w in _WORD.findall(query.lower()) if w not in _STOP}
    scores: dict[str, float] = {}
    for cid, cond in kb.conditions.items():
        score = 0.0
        strong = {(s.finding, s.value): s.likelihood_ratio for s in _all_up(kb, cond)}
        for fid, value in found.items():
            ratio = strong.get((fid, value))
            if ratio is not None:
                score += math.log(ratio)
        text = f"{cond.name} {cond.summary}".lower()
        score += sum(1.5 if w in cond.name.lower() else 0.5 for w in words if w in text)
        if score > 0:
            scores[cid] = score
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _all_up(kb: KnowledgeBase, cond: Condition) -> list[Sign]:
    """Every finding value with a ratio above 1 (not only the strongest few)."""
    out: list[Sign] = []
    for lk in cond.likelihoods:
        f = kb.findings[lk.finding]
        if f.base is None:
            continue
        if lk.p is not None and f.base.p is not None and f.base.p > 0 and lk.p > f.base.p:
            out.append(Sign(lk.finding, "true", "", "", lk.p / f.base.p, lk.source))
        elif lk.dist is not None and f.base.dist is not None:
            for v in f.values():
                p, b = lk.dist.get(v, 0.0), f.base.dist.get(v, 0.0)
                if b > 0 and p > b:
                    out.append(Sign(lk.finding, v, "", "", p / b, lk.source))
    return out
