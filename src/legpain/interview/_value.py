"""The expected value of asking a question: information gain over the causes plus
the chance that its answer changes the triage level (see ``_interview`` for the
asking policy that uses it)."""

from __future__ import annotations

import functools
import itertools
import operator
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from legpain.engine import Engine, Value
from legpain.engine._model import FloatArray
from legpain.engine.triage import (
    RANK,
    WEAK_FIT,
    WEAK_FIT_LEVEL,
    _care_vectors,
    level_ranks,
    rule_table,
)
from legpain.knowledge._schema import TriageRule

# The top cause is "clear" at 80%: beyond that, a further question rarely moves
# it out of first place (the largest single likelihood ratios in the knowledge
# base are about 20, which a 4:1 lead survives unless the answer is rare).
CLEAR_TOP = 0.80
# A question whose best case changes the ranking or triage with less than 1%
# probability, and whose information gain is below 0.01 bit, changes nothing.
NEGLIGIBLE_PROBABILITY = 0.01
NEGLIGIBLE_GAIN = 0.01
# A change between self-care and a routine appointment matters less than a
# missed urgent sign: the interview may stop with a 10% chance of the former,
# never with a 1% chance of the latter.
MINOR_CHANGE_PROBABILITY = 0.10
# Expected information gain is at most a few bits; a certain triage change is
# worth more than any gain, so triage-changing questions are asked first.
TRIAGE_WEIGHT = 4.0
# A chance of turning urgent or emergency outranks any other reason to ask.
SERIOUS_WEIGHT = 40.0


# --- expected value of a question ------------------------------------------------------


@functools.cache  # per Engine
def warning_levels(engine: Engine) -> dict[str, int]:
    """For each warning finding, the highest level of a red-flag rule that uses it."""
    out: dict[str, int] = {}
    for r in engine.kb.triage_rules:
        if r.kind != "red_flag":
            continue
        for f in r.when.findings():
            if f in engine.kb.warning_findings:
                out[f] = max(out.get(f, 0), RANK[r.level])
    return out


@dataclass(frozen=True)
class Option:
    """Something the interview could ask next: one finding, or a checklist's open items."""

    id: str
    items: tuple[str, ...]


@functools.cache  # per Engine
def singles(engine: Engine) -> tuple[str, ...]:
    """Findings asked on their own: those with likelihoods that are in no checklist."""
    grouped = {f for cl in engine.kb.interview.checklists for f in cl.items}
    return tuple(
        f.id for f in engine.kb.findings.values() if f.base is not None and f.id not in grouped
    )


@functools.cache
def _combinations(n: int) -> npt.NDArray[np.bool_]:
    """Every yes/no answer to n items, one row each (row 0 is all yes)."""
    return np.array(list(itertools.product((True, False), repeat=n)), dtype=bool).reshape(-1, n)


@functools.cache  # one per Engine (hashed by identity)
def _rules_reading(engine: Engine) -> dict[str, tuple[TriageRule, ...]]:
    """For each finding, the triage rules that read it, directly or through a score
    (the engine's compiled rule table, as rules)."""
    table = rule_table(engine.kb)
    return {f: tuple(table.rules[i] for i in ix) for f, ix in table.reading.items()}


@functools.cache
def _rule_position(engine: Engine) -> dict[str, int]:
    return {r.id: i for i, r in enumerate(rule_table(engine.kb).rules)}


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (kept in a WeakSet)
class OptionTable:
    """What does not depend on the answers so far, for one option's items."""

    lik: FloatArray  # (outcomes, causes): log P(outcome | cause)
    rules: tuple[TriageRule, ...]  # the rules that read any of the items
    rule_ids: frozenset[str]
    # each distinct answer to the items those rules read, with its outcome rows
    rule_answers: tuple[tuple[dict[str, Value], npt.NDArray[np.intp]], ...]
    p_lik: FloatArray  # np.exp(lik): P(outcome | cause)
    p_lik_lik: FloatArray  # p_lik * lik: for the posteriors' entropy without a logarithm
    # every finding those rules read (directly or through a score): the rule levels of
    # the outcomes depend on the answers so far only through these
    context: tuple[str, ...] = ()
    # every finding -> its answer (None: unknown) => the answers to ``context``, in order
    read_context: Callable[[Mapping[str, Value | None]], tuple[Value | None, ...]] = field(
        default=lambda _answers: (), repr=False
    )
    # (floor, the answers to ``context``) -> the rule level of each outcome
    levels: dict[tuple[int, tuple[Value | None, ...]], FloatArray] = field(
        default_factory=dict, repr=False
    )


_TABLES: weakref.WeakSet[OptionTable] = weakref.WeakSet()


def _option_tables() -> list[OptionTable]:
    return list(_TABLES)


@functools.lru_cache(maxsize=4096)  # per (Engine, items): checklists shrink as items are answered
def _option_table(engine: Engine, items: tuple[str, ...]) -> OptionTable:
    kb, model = engine.kb, engine.model
    reading = _rules_reading(engine)
    rules = tuple({r.id: r for f in items for r in reading.get(f, ())}.values())
    rule_answers: list[tuple[dict[str, Value], npt.NDArray[np.intp]]] = []
    if len(items) == 1:
        values = kb.findings[items[0]].values()
        idx = np.array([[model.row_index[(items[0], v)]] for v in values])
        if rules:
            rule_answers = [
                ({items[0]: _typed(engine, items[0], v)}, np.array([row]))
                for row, v in enumerate(values)
            ]
    else:
        combos = _combinations(len(items))
        yes = np.array([model.row_index[(f, "true")] for f in items])
        no = np.array([model.row_index[(f, "false")] for f in items])
        idx = np.where(combos, yes, no)
        if rules:
            read = [k for k, f in enumerate(items) if f in reading]
            keys, inverse = np.unique(combos[:, read], axis=0, return_inverse=True)
            inverse = inverse.ravel()
            rule_answers = [
                (
                    {items[k]: bool(x) for k, x in zip(read, key, strict=True)},
                    np.flatnonzero(inverse == u),
                )
                for u, key in enumerate(keys)
            ]
    table = rule_table(kb)
    position = _rule_position(engine)
    context = sorted({f for r in rules for f in table.reads[position[r.id]]})
    lik = model.rows[idx].sum(axis=1)
    made = OptionTable(
        lik=lik,
        rules=rules,
        rule_ids=frozenset(r.id for r in rules),
        rule_answers=tuple(rule_answers),
        p_lik=np.exp(lik),
        p_lik_lik=np.exp(lik) * lik,
        context=tuple(context),
        read_context=_reader(tuple(context)),
    )
    _TABLES.add(made)
    return made


def _reader(
    context: tuple[str, ...],
) -> Callable[[Mapping[str, Value | None]], tuple[Value | None, ...]]:
    """A function from every finding's answer (None: unknown) to ``context``'s, as a
    tuple: ``operator.itemgetter``, which gives a bare value for one key."""
    if not context:
        return lambda _answers: ()
    if len(context) == 1:
        (only,) = context
        return lambda answers: (answers[only],)
    return operator.itemgetter(*context)


# Per option table; cleared when full. Bounded by numbers held too (an option of 11
# items has 2048 outcomes): at most about 32 MB of levels over all tables.
LEVEL_MEMO_LIMIT = 256
LEVEL_MEMO_NUMBERS = 4_000_000
_level_numbers = [0]  # numbers held in every table's memo


def _option_rule_levels(
    engine: Engine,
    known: Mapping[str, Value],
    every: Mapping[str, Value | None],
    table: OptionTable,
    floor: int,
) -> FloatArray:
    """The rule level after each outcome of an option (memoised on what it reads).
    ``every``: each finding's answer in ``known``, or None."""
    key = (floor, table.read_context(every))
    levels = table.levels.get(key)
    if levels is None:
        levels = np.empty(len(table.lik))
        answered = dict(known)
        # Evaluate each distinct answer to the items the rules read, once.
        for answer, rows in table.rule_answers:
            answered.update(answer)
            levels[rows] = _rule_level_after(engine, answered, table.rules, floor)
        if len(table.levels) >= LEVEL_MEMO_LIMIT:
            _level_numbers[0] -= sum(len(x) for x in table.levels.values())
            table.levels.clear()
        if _level_numbers[0] + len(levels) > LEVEL_MEMO_NUMBERS:
            for t in _option_tables():
                t.levels.clear()
            _level_numbers[0] = 0
        table.levels[key] = levels
        _level_numbers[0] += len(levels)
    return levels


@functools.cache  # per Engine
def _level_groups(engine: Engine) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """``level_ranks``'s tables: each cause's level rank and threshold (infinite: none);
    the levels that causes with a threshold have, and which cause has which of them
    (causes x levels, 1 where it has it)."""
    ranks, thresholds = _care_vectors(engine.kb, engine.model)
    levels = np.array(
        sorted({float(r) for r, t in zip(ranks, thresholds, strict=True) if np.isfinite(t)})
    )
    has_level = (ranks[:, np.newaxis] == levels) & np.isfinite(thresholds)[:, np.newaxis]
    return ranks, thresholds, levels, has_level.astype(np.float64)


def _level_ranks(engine: Engine, weights: FloatArray, totals: FloatArray) -> FloatArray:
    """``triage.level_ranks(kb, model, weights / totals[:, None])``, the same ranks with
    less work and no division: the highest of the top cause's level, the levels of the
    causes past their thresholds (per level: whether any passed) and the weak-fit floor.
    ``weights`` are unnormalised posteriors (one row per outcome), ``totals`` their sums."""
    ranks, thresholds, levels, has_level = _level_groups(engine)
    top = weights.argmax(axis=1)
    out = ranks[top]
    # How many causes of each level passed their thresholds (a count, exact in a float),
    # by one product: reducing each outcome's short row of causes costs far more.
    passed = weights >= np.multiply.outer(totals, thresholds)
    passed_per_level = passed.astype(np.float64) @ has_level
    for k, level in enumerate(levels):
        np.maximum(out, np.where(passed_per_level[:, k] > 0.0, level, -1.0), out=out)
    # The weak-fit floor reads the best named cause (the last column is "other").
    best_named = weights[np.arange(len(top)), top]
    other_first = np.flatnonzero(top == weights.shape[1] - 1)
    best_named[other_first] = weights[other_first, :-1].max(axis=1)
    weak = best_named < WEAK_FIT * totals
    np.maximum(out, np.where(weak, float(RANK[WEAK_FIT_LEVEL]), -1.0), out=out)
    return np.asarray(out, dtype=np.float64)


def _rule_level(engine: Engine, answers: Mapping[str, Value]) -> int:
    rules = engine.rules.fired(answers)
    return max((RANK[r.level] for r in rules), default=0)


def _rule_level_after(
    engine: Engine, answers: Mapping[str, Value], rules: Sequence[TriageRule], floor: int
) -> int:
    """The rule level once some unknown findings are answered.

    Only ``rules`` (those that read the newly answered findings) can change;
    ``floor`` is the level of the rules that fired before and read none of them.
    """
    table, position = rule_table(engine.kb), _rule_position(engine)
    level = floor
    for r in rules:
        if RANK[r.level] > level and table.fires(position[r.id], answers, None):
            level = RANK[r.level]
    return level


def choose(engine: Engine, known: Mapping[str, Value], options: list[Option]) -> Option | None:
    if not options:
        return None
    kb, model = engine.kb, engine.model
    logit0 = model.log_prior + model.rows[model.rows_for(kb, dict(known))].sum(axis=0)
    post0 = np.exp(logit0 - logit0.max())
    post0 /= post0.sum()
    fired0 = engine.rules.fired(known)
    level0_rules = max((RANK[r.level] for r in fired0), default=0)
    level0 = max(level0_rules, int(level_ranks(kb, model, post0[np.newaxis, :])[0]))

    tables = [_option_table(engine, option.items) for option in options]
    sizes = [len(t.p_lik) for t in tables]
    # Each outcome's rule level: that of the rules fired so far, unless the option's
    # items are read by rules (then worked out per outcome).
    rule_levels = np.full(sum(sizes), float(level0_rules))
    every: dict[str, Value | None] = dict.fromkeys(kb.findings)
    every.update(known)
    start = 0
    for table, size in zip(tables, sizes, strict=True):
        if table.rules:
            # An answer can also switch a rule off (an unknown onset counts as
            # possibly sudden), so the floor is what fired among the other rules.
            floor = max((RANK[r.level] for r in fired0 if r.id not in table.rule_ids), default=0)
            rule_levels[start : start + size] = _option_rule_levels(
                engine, known, every, table, floor
            )
        start += size
    # After outcome o the posterior is p_lik[o] * post0 / z[o], with z = p_lik @ post0;
    # everything below works on the unnormalised rows (one product, no exp or division).
    p_lik = np.concatenate([t.p_lik for t in tables])  # (outcomes, causes): P(outcome | cause)
    weights = p_lik * post0
    z = weights.sum(axis=1)  # P(outcome | answers so far)
    owner_arr = np.repeat(np.arange(len(options)), sizes)  # each outcome's option
    n = len(options)
    # Normalised within each option (number bins of a modifier never reach here, so
    # each option's outcomes are exhaustive).
    p_value = z / np.bincount(owner_arr, weights=z, minlength=n)[owner_arr]

    def expected(per_outcome: FloatArray) -> FloatArray:
        return np.bincount(owner_arr, weights=p_value * per_outcome, minlength=n).astype(np.float64)

    # Entropy after outcome o, in nats: log z - sum_c q log(p_lik post0), q = weights/z;
    # log(p_lik * post0) = lik + log post0, so the sum needs no logarithm per outcome.
    log_post0 = np.log(np.maximum(post0, 1e-300))
    cross = (
        np.concatenate([t.p_lik_lik for t in tables]) @ post0 + p_lik @ (post0 * log_post0)
    ) / z
    entropy_after = (np.log(z) - cross) / np.log(2.0)
    entropy0 = -float(post0 @ log_post0) / np.log(2.0)
    gain = entropy0 - expected(entropy_after)
    levels = np.maximum(_level_ranks(engine, weights, z), rule_levels)
    p_change = expected((levels != level0).astype(np.float64))
    p_serious = expected(((levels > level0) & (levels >= RANK["urgent"])).astype(np.float64))
    # The top three keep their order iff first > second > third > every other cause
    # (compared on the unnormalised rows: the order within a row is the same).
    top3 = np.argsort(-post0)[:3]
    a = weights[:, top3]  # a copy
    weights[:, top3] = -np.inf  # (weights is not used after this)
    others = weights.max(axis=1)
    same_order = (a[:, 0] > a[:, 1]) & (a[:, 1] > a[:, 2]) & (a[:, 2] > others)
    p_reorder = expected((~same_order).astype(np.float64))

    triage_settled = (
        p_serious.max() < NEGLIGIBLE_PROBABILITY and p_change.max() < MINOR_CHANGE_PROBABILITY
    )
    if triage_settled and (post0.max() >= CLEAR_TOP or p_reorder.max() < NEGLIGIBLE_PROBABILITY):
        return None
    useful = (
        (p_change >= NEGLIGIBLE_PROBABILITY)
        | (p_reorder >= NEGLIGIBLE_PROBABILITY)
        | (gain >= NEGLIGIBLE_GAIN)
    )
    if not useful.any():
        return None
    value = gain + TRIAGE_WEIGHT * p_change + SERIOUS_WEIGHT * p_serious
    score = np.where(useful, value, -np.inf)
    return options[int(score.argmax())]


def _typed(engine: Engine, fid: str, label: str) -> Value:
    """A value standing for a table label: a number bin stands for its lower bound."""
    f = engine.kb.findings[fid]
    if f.type == "boolean":
        return label == "true"
    if f.type == "number":
        return next(b.at_least for b in f.bins or [] if b.label == label)
    return label
