"""Triage: how soon to get help.

The level is the highest of
1. the minimum levels of the triage rules that fire (warning signs, review reasons), and
2. the probability-based level: the care level of the most probable cause, raised
   to that of any cause whose probability reaches its own threshold (a dangerous
   cause needs a low one), and at least routine when another cause (the leak) is
   most probable or no named cause reaches WEAK_FIT ("none of these fits well").

Warning signs must never lower the level (safety rule 2). Rules only test for
signs being present, so they are monotone by construction. The probability part
is made monotone too: it is the highest level over every way each warning sign
answered "yes" could instead be "no" or not answered. A reported warning sign
can thus only add possibilities to that maximum, whether it was unknown or "no"
before, so it never lowers the level; the ranking itself uses the answers as
given.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import compress

import numpy as np
import numpy.typing as npt

from legpain.engine._answers import Value
from legpain.engine._made import construct
from legpain.engine._model import CompiledModel, FloatArray
from legpain.engine.scores import ScoreResult, compile_expr, compute_score
from legpain.knowledge import TRIAGE_ORDER, KnowledgeBase, TriageLevel
from legpain.knowledge._schema import Expr, TriageRule

RANK = {level: i for i, level in enumerate(TRIAGE_ORDER)}
LEAK_LEVEL: TriageLevel = "routine"  # an unmodelled cause should be seen by a doctor
# When no named cause fits well (the most probable one is below this), the answers
# may come from a cause outside the knowledge base: at least routine, never self-care.
# Judgement: below 0.30 the top cause is less likely than not to be "it" even with
# the next two added, so "look after it at home" cannot rest on it.
WEAK_FIT = 0.30
WEAK_FIT_LEVEL: TriageLevel = "routine"

# 3**7 = 2187 posteriors are one small matrix product; past seven warning signs
# at once the extra ones are taken as given (the guarantee holds up to the cap).
MAX_VARIED_SIGNS = 7


def higher(a: TriageLevel, b: TriageLevel) -> TriageLevel:
    return a if RANK[a] >= RANK[b] else b


@dataclass(frozen=True)
class FiredRule:
    id: str
    kind: str
    level: TriageLevel
    message: str
    action: str
    suspect: str | None
    source: str


@dataclass(frozen=True)
class ConditionTrigger:
    """What set the probability-based level: the top cause (``top``), a cause past
    its threshold, or (``weak_fit``) no named cause fitting well, reported as the leak."""

    condition: str
    level: TriageLevel
    probability: float
    top: bool
    weak_fit: bool = False


@dataclass(frozen=True)
class TriageDecision:
    level: TriageLevel
    rules: tuple[FiredRule, ...]
    condition: ConditionTrigger | None


class RuleTable:
    """The triage rules compiled once per knowledge base.

    A rule's verdict depends only on the answers to the findings it reads
    (directly or through a score; ``findings_read``). So a rule that reads no
    answered finding gives its verdict on no answers, found once here; the
    others are memoised on the answers to what they read, which recur across
    assessments, questions and interviews. The fired rules come out in the
    knowledge base's order, as ``evaluate`` over every rule gives them (each rule's
    test compiled once: ``compile_expr``).
    """

    MEMO_LIMIT = 200_000  # entries; cleared when full (each is a short tuple)
    FIRED_MEMO_LIMIT = 20_000  # answer sets; cleared when full (a key holds every answer)

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.rules = tuple(kb.triage_rules)
        self.fired_rule = tuple(
            FiredRule(r.id, r.kind, r.level, r.message, r.action, r.suspect, r.source)
            for r in self.rules
        )
        self.reads = tuple(tuple(sorted(findings_read(kb, r))) for r in self.rules)
        self.tests = tuple(compile_expr(r.when) for r in self.rules)
        self.gates = tuple(_split_gate(gate(r.when)) for r in self.rules)
        reading: dict[str, list[int]] = {}
        for i, reads in enumerate(self.reads):
            for f in reads:
                reading.setdefault(f, []).append(i)
        self.reading = {f: tuple(ix) for f, ix in reading.items()}
        self._memo: dict[tuple[int, tuple[Value | None, ...]], bool] = {}
        self._fired: dict[tuple[tuple[str, Value], ...], tuple[FiredRule, ...]] = {}
        self.unanswered = frozenset(i for i in range(len(self.rules)) if self.fires(i, {}, None))

    def fires(
        self, i: int, answers: Mapping[str, Value], scores: Mapping[str, ScoreResult] | None
    ) -> bool:
        key = (i, tuple(map(answers.get, self.reads[i])))
        hit = self._memo.get(key)
        if hit is None:
            rule = self.rules[i]
            if scores is None:
                scores = {
                    sid: compute_score(self.kb.scores[sid], answers) for sid in rule.when.scores()
                }
            hit = self.tests[i](answers, scores) is True
            if len(self._memo) >= self.MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = hit
        return hit

    def fired(
        self, answers: Mapping[str, Value], scores: Mapping[str, ScoreResult] | None = None
    ) -> list[FiredRule]:
        """The rules that fire, in the knowledge base's order (``scores``: those of
        ``answers``, if already computed). Memoised on the answers that some rule reads."""
        reading = self.reading
        key = tuple((f, v) for f, v in answers.items() if f in reading)
        hit = self._fired.get(key)
        if hit is None:
            touched: set[int] = set()
            for f, _ in key:
                touched.update(reading[f])
            yes = {f for f, v in key if v is True}
            answered = {f for f, _ in key}
            gates = self.gates
            firing = set(self.unanswered - touched)
            for i in touched:
                gate = gates[i]
                if gate is not None and yes.isdisjoint(gate[0]) and answered.isdisjoint(gate[1]):
                    continue  # cannot be true on these answers (see ``gate``)
                if self.fires(i, answers, scores):
                    firing.add(i)
            hit = tuple(self.fired_rule[i] for i in sorted(firing))
            if len(self._fired) >= self.FIRED_MEMO_LIMIT:
                self._fired.clear()
            self._fired[key] = hit
        return list(hit)


Gate = frozenset[tuple[str, bool]]


def gate(e: Expr) -> Gate | None:
    """Answers of which at least one must be given for ``e`` to be true: (finding,
    True) for "answered yes", (finding, False) for "answered at all". ``None``: it
    can be true without any of them (a test of a score, ``not`` or ``is_not``, which
    unknown answers can make true). The empty set: it can never be true."""
    if e.finding is not None:
        if e.is_not is not None:
            return None
        if e.in_ is not None or e.at_least is not None or e.below is not None:
            return frozenset({(e.finding, False)})
        return frozenset({(e.finding, True)})
    if e.score is not None or e.not_ is not None:
        return None
    if e.all is not None:
        # Every part must be true: any one part's gate will do; the smallest is used.
        found = [g for g in map(gate, e.all) if g is not None]
        return min(found, key=len) if found else None
    out: set[tuple[str, bool]] = set()
    for sub in e.any or []:
        g = gate(sub)
        if g is None:
            return None
        out |= g
    return frozenset(out)


def _split_gate(g: Gate | None) -> tuple[frozenset[str], frozenset[str]] | None:
    """A gate as the findings to be answered yes and those to be answered at all."""
    if g is None:
        return None
    return frozenset(f for f, yes in g if yes), frozenset(f for f, yes in g if not yes)


# The last few compiled tables, by knowledge base (held, so their ids stay theirs).
_RULE_TABLES: list[tuple[KnowledgeBase, RuleTable]] = []
_KEPT = 8


def rule_table(kb: KnowledgeBase) -> RuleTable:
    for k, t in _RULE_TABLES:
        if k is kb:
            return t
    t = RuleTable(kb)
    _RULE_TABLES.insert(0, (kb, t))
    del _RULE_TABLES[_KEPT:]
    return t


def fired_rules(
    kb: KnowledgeBase, answers: Mapping[str, Value], scores: Mapping[str, ScoreResult]
) -> list[FiredRule]:
    return rule_table(kb).fired(answers, scores)


_CARE: list[tuple[KnowledgeBase, CompiledModel, tuple[FloatArray, FloatArray]]] = []


def _care_vectors(kb: KnowledgeBase, model: CompiledModel) -> tuple[FloatArray, FloatArray]:
    """Per cause: the rank of its care level, and the probability at which it applies."""
    for k, m, vectors in _CARE:
        if k is kb and m is model:
            return vectors
    vectors = _compute_care_vectors(kb, model)
    _CARE.insert(0, (kb, model, vectors))
    del _CARE[_KEPT:]
    return vectors


def _compute_care_vectors(kb: KnowledgeBase, model: CompiledModel) -> tuple[FloatArray, FloatArray]:
    ranks = [RANK[kb.conditions[c].care.level] for c in model.causes[:-1]] + [RANK[LEAK_LEVEL]]
    thresholds = [kb.conditions[c].care.threshold for c in model.causes[:-1]] + [np.inf]
    return np.array(ranks, dtype=np.float64), np.array(thresholds, dtype=np.float64)


def _level_candidates(
    kb: KnowledgeBase, model: CompiledModel, posts: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Per posterior row: column 0 the top cause's level rank (the leak's when the
    leak is most probable), then each cause's level rank where it passes its
    threshold (-1 where not), then the weak-fit floor (no named cause reaching
    WEAK_FIT); and the top cause."""
    ranks, thresholds = _care_vectors(kb, model)
    top = posts.argmax(axis=1)
    by_threshold = np.where(posts >= thresholds, ranks, -1.0)
    weak = np.where(posts[:, :-1].max(axis=1) < WEAK_FIT, float(RANK[WEAK_FIT_LEVEL]), -1.0)
    return np.column_stack([ranks[top], by_threshold, weak]), top


def _one_level(kb: KnowledgeBase, model: CompiledModel, p: list[float]) -> tuple[int, int, int]:
    """``_level_candidates`` for one posterior, as a list: the row's highest level
    rank, the column holding it (the first such) and the top cause. Plain Python:
    for a single row it is the same comparisons without the arrays."""
    ranks, thresholds = _care_lists(kb, model)
    top = p.index(max(p))
    best, col = ranks[top], 0
    for i in compress(range(len(p)), map(operator.ge, p, thresholds)):
        if ranks[i] > best:
            best, col = ranks[i], i + 1
    if max(p[:-1]) < WEAK_FIT and best < _WEAK_RANK:
        best, col = _WEAK_RANK, len(p) + 1
    return best, col, top


_WEAK_RANK = RANK[WEAK_FIT_LEVEL]
_CARE_LISTS: list[tuple[KnowledgeBase, CompiledModel, tuple[list[int], list[float]]]] = []


def _care_lists(kb: KnowledgeBase, model: CompiledModel) -> tuple[list[int], list[float]]:
    """``_care_vectors`` as Python lists (ranks as ints)."""
    for k, m, lists in _CARE_LISTS:
        if k is kb and m is model:
            return lists
    ranks, thresholds = _care_vectors(kb, model)
    lists = ([int(r) for r in ranks.tolist()], thresholds.tolist())
    _CARE_LISTS.insert(0, (kb, model, lists))
    del _CARE_LISTS[_KEPT:]
    return lists


def level_ranks(kb: KnowledgeBase, model: CompiledModel, posts: FloatArray) -> FloatArray:
    """The probability-based level rank of each posterior row (no warning-sign variation)."""
    cand, _ = _level_candidates(kb, model, posts)
    return np.asarray(cand.max(axis=1), dtype=np.float64)


def findings_read(kb: KnowledgeBase, rule: TriageRule) -> frozenset[str]:
    """The findings a triage rule reads, directly or through a score."""
    out = set(rule.when.findings())
    for sid in rule.when.scores():
        for item in kb.scores[sid].items:
            if item.when is not None:
                out |= item.when.findings()
    return frozenset(out)


def rule_findings(kb: KnowledgeBase) -> frozenset[str]:
    """Findings that some triage rule reads, directly or through a score."""
    return frozenset().union(*(findings_read(kb, r) for r in kb.triage_rules))


def _varied_posteriors(
    kb: KnowledgeBase,
    model: CompiledModel,
    answers: Mapping[str, Value],
    varied: list[str],
    rows: list[int] | None,
) -> FloatArray:
    """One posterior per way the ``varied`` warning signs can be answered (just the
    answers as given when none is varied). ``rows``: the answers' rows in their
    order, if already looked up (the other answers' rows are then taken from them)."""
    if rows is None:
        fixed = {f: v for f, v in answers.items() if f not in varied}
        rows = model.rows_for(kb, fixed)
    elif varied:
        rows = [r for f, r in zip(answers, rows, strict=True) if f not in varied]
    table = model.rows
    base = _add(model.log_prior, _add_reduce(table.take(rows, 0), 0))
    if varied:
        index = model.row_index
        yes = table.take([index[(f, "true")] for f in varied], 0)
        no = table.take([index[(f, "false")] for f in varied], 0)
        # Each sign as reported (yes), denied (no) or unanswered (adds nothing).
        said_yes, said_no = _sign_states(len(varied))
        logits = _add(_add(base, _matmul(said_yes, yes)), _matmul(said_no, no))
    else:
        logits = base[np.newaxis, :]
    logits = _subtract(logits, _max_reduce(logits, axis=1, keepdims=True))
    posts = _exp(logits, out=logits)
    _divide(posts, _add_reduce(posts, axis=1, keepdims=True), out=posts)
    return posts  # type: ignore[no-any-return]


_add, _subtract, _divide, _exp, _matmul = np.add, np.subtract, np.divide, np.exp, np.matmul
_add_reduce, _max_reduce = np.add.reduce, np.maximum.reduce
# Up to this many posteriors, their levels are found row by row (``_one_level``);
# past it, with arrays (``_level_candidates``): the same levels either way.
ROWS_IN_PYTHON = 9


def probability_triage(
    kb: KnowledgeBase,
    model: CompiledModel,
    answers: Mapping[str, Value],
    rows: list[int] | None = None,
    post: FloatArray | None = None,
) -> ConditionTrigger:
    """The probability-based level, monotone in the warning signs (see module doc).

    ``rows``: the answers' table rows in their order, if already looked up; ``post``:
    their posterior (``model.posterior_from_rows(rows)``), if already computed."""
    warnings = kb.warning_findings
    varied = sorted(f for f, v in answers.items() if v is True and f in warnings)
    del varied[MAX_VARIED_SIGNS:]
    leak = len(model.causes) - 1
    if not varied and post is not None:
        # The posterior of the answers as given: the same numbers as worked out below.
        posts = post[np.newaxis, :]
    else:
        posts = _varied_posteriors(kb, model, answers, varied, rows)
    if len(posts) <= ROWS_IN_PYTHON:
        # A few rows: the same comparisons, row by row, without the arrays.
        best: tuple[int, int, int] | None = None
        row = 0
        by_row = posts.tolist()
        for n, p in enumerate(by_row):
            found = _one_level(kb, model, p)
            if best is None or found[0] > best[0]:
                best, row = found, n
        assert best is not None
        rank, col, top_cause = best
        weak_fit = col == leak + 2
        cause = top_cause if col == 0 else (leak if weak_fit else col - 1)
        return _trigger(
            model.causes[cause], TRIAGE_ORDER[rank], by_row[row][cause], col == 0, weak_fit
        )
    cand, top = _level_candidates(kb, model, posts)
    level_rank = cand.max(axis=1)
    row = int(level_rank.argmax())
    col = int(cand[row].argmax())
    weak_fit = col == cand.shape[1] - 1
    cause = int(top[row]) if col == 0 else (leak if weak_fit else col - 1)
    return _trigger(
        model.causes[cause],
        TRIAGE_ORDER[int(level_rank[row])],
        float(posts[row, cause]),
        col == 0,
        weak_fit,
    )


def _trigger(
    condition: str, level: TriageLevel, probability: float, top: bool, weak_fit: bool
) -> ConditionTrigger:
    """``ConditionTrigger(...)`` without the frozen dataclass's field-by-field
    ``__init__``: the same object, made faster."""
    return construct(
        ConditionTrigger,
        condition=condition,
        level=level,
        probability=probability,
        top=top,
        weak_fit=weak_fit,
    )


def _decision(
    level: TriageLevel, rules: tuple[FiredRule, ...], condition: ConditionTrigger | None
) -> TriageDecision:
    """``TriageDecision(...)``, made as ``_trigger`` is."""
    return construct(TriageDecision, level=level, rules=rules, condition=condition)


@functools.cache
def _sign_states(n: int) -> tuple[FloatArray, FloatArray]:
    """Every way n signs can each be reported (1), denied (2) or unanswered (0), one
    row each: 0/1 matrices of the reported and of the denied ones (read-only)."""
    states = np.array(list(itertools.product((0, 1, 2), repeat=n)))
    said_yes = (states == 1).astype(np.float64)
    said_no = (states == 2).astype(np.float64)
    said_yes.flags.writeable = False
    said_no.flags.writeable = False
    return said_yes, said_no


def triage(
    kb: KnowledgeBase,
    model: CompiledModel,
    answers: Mapping[str, Value],
    scores: Mapping[str, ScoreResult],
) -> TriageDecision:
    rules = fired_rules(kb, answers, scores)
    trigger = probability_triage(kb, model, answers)
    level = trigger.level
    for r in rules:
        level = higher(level, r.level)
    rules.sort(key=lambda r: -RANK[r.level])
    return TriageDecision(level=level, rules=tuple(rules), condition=trigger)
