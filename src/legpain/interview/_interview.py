"""The adaptive interview: the fewest questions to a safe answer.

Policy (clinical facts live in the knowledge base, not here):
1. An emergency ends the interview: once a warning sign the person said yes to
   makes the level an emergency, ``next_question()`` is None and nothing more
   is asked (safety rule 3).
2. The emergency screen comes first: the knowledge base's grouped yes/no screens
   whose signs can make the case an emergency. An emergency sign answered "don't
   know" is asked once more, in plainer words; if still unsure, the result is at
   least urgent (``engine._unsure``).
3. Age and sex, unless given (and pregnancy, for a woman of child-bearing age),
   then the other warning-sign screens. Every warning sign is asked (or was
   answered) before anything else.
4. Then the question of greatest expected value (``_value``): expected
   information gain over the causes, plus a bonus for the chance that its answer
   changes the triage level, so triage-changing questions come first. A finding
   whose answer could change neither the ranking, the triage, nor the entropy is
   never asked.
5. Who the answers are about (``respondent``: the person, their child, someone
   else) words every question for them; the words are the knowledge base's
   (respondent.yaml). A finding with ``min_age`` is not asked of anyone younger.
6. Stop when no single answer could change the triage and the top cause is
   clear, or when no answer could change the ranking of the top three; at most
   30 questions.
"""

from __future__ import annotations

import copy
import functools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from legpain.engine import UNKNOWN, Assessment, CaseError, Engine, Value, default_engine
from legpain.engine._answers import check_value
from legpain.interview._value import Option, choose, singles, warning_levels
from legpain.interview._wording import reword
from legpain.knowledge._schema import Respondent, Screen

MAX_QUESTIONS = 30
NEXT_MEMO_LIMIT = 4096  # interview states per engine; cleared when full
CHILD_BEARING_AGE = (12, 56)
RESPONDENTS = ("self", "child", "other")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    why: str
    type: str  # boolean | choice | number | group
    choices: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    item_texts: tuple[str, ...] = ()
    kind: str = "question"  # about_you | screen | checklist | question
    unit: str | None = None  # number questions: unit and allowed range
    minimum: float | None = None
    maximum: float | None = None
    asked_before: bool = False  # asked once more: the first answer was "don't know"
    # The likely answer read from free text but not sure enough to take as given (a value,
    # or for a screen {item: value}); shown with the question, never taken as the answer.
    suggested: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "why": self.why,
            "type": self.type,
            "choices": list(self.choices),
            "unit": self.unit,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "items": [
                {"id": i, "text": t} for i, t in zip(self.items, self.item_texts, strict=True)
            ],
            "kind": self.kind,
            "asked_before": self.asked_before,
            "suggested": self.suggested,
        }


@dataclass
class _Step:
    question: str
    findings: tuple[str, ...]
    previous: dict[str, Value | None]  # what each finding was before this step
    values: dict[str, Value | None]  # what this step set (None: don't know)


@functools.cache  # per Engine
def _groups_of(engine: Engine) -> dict[str, list[str]]:
    """Grouped question id (screen or checklist) -> its items (not to be changed)."""
    kb = engine.kb
    groups = {s.id: s.items for s in kb.interview.screens}
    groups.update({c.id: c.items for c in kb.interview.checklists})
    return groups


@functools.cache  # per Engine
def _emergency_signs(engine: Engine) -> frozenset[str]:
    """The items of the emergency screens."""
    return frozenset(f for s in engine.kb.interview.screens if s.emergency for f in s.items)


@functools.cache  # per Engine
def _screens_by_level(engine: Engine) -> list[Screen]:
    """The warning-sign screens, those whose signs reach the highest level first."""
    level = warning_levels(engine)
    return sorted(engine.kb.interview.screens, key=lambda s: -max(level.get(f, 0) for f in s.items))


@functools.lru_cache(maxsize=1024)  # per (Engine, sex, age): few distinct ones
def _applying(engine: Engine, sex: Value | None, age: float | None) -> frozenset[str]:
    """The findings that may be asked of someone of this sex and age (None: not known):
    not those for the other sex, nor below their ``min_age``, nor pregnancy outside
    the child-bearing years."""
    out = set()
    for fid, f in engine.kb.findings.items():
        if f.applies_to_sex is not None and sex not in (None, f.applies_to_sex):
            continue
        if f.min_age is not None and age is not None and age < f.min_age:
            continue
        if (
            fid == "pregnant"
            and age is not None
            and not CHILD_BEARING_AGE[0] <= age < CHILD_BEARING_AGE[1]
        ):
            continue
        out.add(fid)
    return frozenset(out)


# Engine -> interview state -> its next question (before any suggestion is shown with it).
_NEXT: weakref.WeakKeyDictionary[Engine, dict[Any, Question | None]] = weakref.WeakKeyDictionary()


@dataclass
class Interview:
    """One person's interview. ``answers`` pre-fills what is already known;
    ``respondent`` is who they are about: "self", "child" or "other"; ``suggested``
    holds likely answers (from free text, unsure) that are shown but still asked."""

    answers: dict[str, Any] = field(default_factory=dict)
    engine: Engine = field(default_factory=default_engine)
    respondent: str = "self"
    suggested: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from legpain.engine import parse_answers

        if self.respondent not in RESPONDENTS:
            raise CaseError(
                [f"respondent: expected one of {', '.join(RESPONDENTS)}, got {self.respondent!r}"]
            )
        self._known: dict[str, Value] = parse_answers(self.answers, self.engine.kb)
        self.suggested = parse_answers(self.suggested, self.engine.kb)
        self._asked: set[str] = set()  # findings asked, whatever the answer
        self._steps: list[_Step] = []
        self.answers = dict(self._known)
        self._initial = tuple(self._known.items())

    # --- public API -----------------------------------------------------------

    @property
    def questions_asked(self) -> int:
        return len(self._steps)

    @property
    def known(self) -> dict[str, Value]:
        return dict(self._known)

    @property
    def unsure(self) -> frozenset[str]:
        """Emergency signs asked about (twice) and still answered "don't know"."""
        last: dict[str, Value | None] = {}
        for step in self._steps:
            last.update(step.values)
        emergency = _emergency_signs(self.engine)
        return frozenset(f for f, v in last.items() if v is None and f in emergency)

    @property
    def emergency(self) -> bool:
        """A warning sign the person said yes to makes this an emergency."""
        kb = self.engine.kb
        if not any(self._known.get(f) is True for f in kb.warning_findings):
            return False
        return self.engine.triage_level(self._known, unsure=self.unsure) == "emergency"

    def next_question(self) -> Question | None:
        """The next question, or None when the interview is complete.

        Memoised per engine on the interview's state (who it is about, the answers it
        started with, and every step since, which together decide the question): a web
        page reading the question just chosen for an answer does not choose it again.
        The memo holds answers and questions, never whose they are."""
        memo = _NEXT.get(self.engine)
        if memo is None:
            memo = _NEXT[self.engine] = {}
        key = (
            self.respondent,
            self._initial,
            tuple((s.question, tuple(s.values.items())) for s in self._steps),
        )
        if key in memo:
            question = memo[key]
        else:
            question = self._choose_next()
            if len(memo) >= NEXT_MEMO_LIMIT:
                memo.clear()
            memo[key] = question
        return self._with_suggestion(question) if question is not None else None

    def _choose_next(self) -> Question | None:
        if len(self._steps) >= MAX_QUESTIONS or self.emergency:
            return None
        return (
            self._screen(emergency=True)
            or self._about_you()
            or self._screen()
            or self._best_question()
        )

    def _with_suggestion(self, question: Question) -> Question:
        from dataclasses import replace

        if question.items:
            likely = {i: self.suggested[i] for i in question.items if i in self.suggested}
            return replace(question, suggested=likely or None)
        return replace(question, suggested=self.suggested.get(question.id))

    def answer(self, question_id: str, value: Any) -> None:
        """Answer a question (or change an earlier answer to a finding)."""
        kb = self.engine.kb
        groups = self._groups()
        if question_id in groups:
            items = self._group_items(question_id)
            new = self._group_values(question_id, items, value)
        elif question_id in kb.findings:
            try:
                new = {question_id: check_value(kb, question_id, value)}
            except ValueError as exc:
                raise CaseError([str(exc)]) from None
        else:
            raise CaseError([f"unknown question {question_id!r}"])
        previous = {f: self._known.get(f) for f in new}
        self._steps.append(_Step(question_id, tuple(new), previous, dict(new)))
        for f, v in new.items():
            self._asked.add(f)
            if v is None:
                self._known.pop(f, None)
            else:
                self._known[f] = v
        self.answers = dict(self._known)

    def copy(self) -> Interview:
        """An independent copy at the same point: answering or undoing one leaves the
        other as it was (cheaper than replaying every answer into a new interview)."""
        other = copy.copy(self)
        other._known = dict(self._known)
        other._asked = set(self._asked)
        other._steps = list(self._steps)  # each step is never changed once made
        other.answers = dict(self.answers)
        other.suggested = dict(self.suggested)
        return other

    def undo(self) -> bool:
        """Take back the last answer; False if there is nothing to undo."""
        if not self._steps:
            return False
        step = self._steps.pop()
        for f, v in step.previous.items():
            if v is None:
                self._known.pop(f, None)
            else:
                self._known[f] = v
        self._asked = {f for s in self._steps for f in s.findings}
        self.answers = dict(self._known)
        return True

    def result(self) -> Assessment:
        return self.engine.assess(self._known, unsure=self.unsure)

    def result_dict(self) -> dict[str, Any]:
        """The result as a case's result JSON, with who the answers were about."""
        return {**self.result().to_dict(), "respondent": self.respondent}

    def question(self, question_id: str) -> Question:
        """The question with this id (a finding or a screen), for showing it again."""
        if question_id in self._groups():
            return self._group_question(question_id, self._group_items(question_id))
        if question_id not in self.engine.kb.findings:
            raise CaseError([f"unknown question {question_id!r}"])
        return self._finding_question(question_id)

    # --- policy ---------------------------------------------------------------

    def _applies(self, fid: str) -> bool:
        age = self._known.get("age")
        return fid in _applying(
            self.engine, self._known.get("sex"), age if isinstance(age, float) else None
        )

    def _open(self, fid: str) -> bool:
        if fid in self._known or not self._applies(fid):
            return False
        return fid not in self._asked or self._ask_again(fid)

    def _ask_again(self, fid: str) -> bool:
        """An emergency sign answered "don't know" only once is asked once more."""
        if fid not in _emergency_signs(self.engine):
            return False
        times = sum(1 for s in self._steps if fid in s.values and s.values[fid] is None)
        return times == 1 and fid not in self._known

    def _about_you(self) -> Question | None:
        for fid in ("age", "sex", "pregnant"):
            if self._open(fid):
                return self._finding_question(fid, kind="about_you")
        return None

    def _screen(self, *, emergency: bool = False) -> Question | None:
        """The next warning-sign screen, those with emergency signs first; with
        ``emergency``, only the knowledge base's emergency screens."""
        for s in _screens_by_level(self.engine):
            if emergency and not s.emergency:
                continue
            items = tuple(f for f in s.items if self._open(f))
            if items:
                return self._group_question(s.id, items)
        return None

    def _about(self) -> Respondent | None:
        """Who the questions are worded for; None: the person answering."""
        rw = self.engine.kb.respondents
        by_id: dict[str, Respondent] = {r.id: r for r in rw.respondents}
        r = by_id.get(self.respondent)
        age = self._known.get("age")
        limit = r.until_age if r is not None else None
        if r is not None and r.adult_as and limit is not None and isinstance(age, float):
            r = by_id.get(r.adult_as) if age >= limit else r
        return None if r is None or r.id == "self" else r

    def _worded(self, qid: str, text: str) -> str:
        """The question ``qid`` worded for the person it is about, and their age."""
        rw = self.engine.kb.respondents
        age = self._known.get("age")
        young = isinstance(age, float) and age < rw.young_below and qid in rw.young_questions
        if young:
            text = rw.young_questions[qid]
        about = self._about()
        if about is None:
            return text
        by_hand = rw.questions.get(qid, {}).get(about.id)
        if by_hand is not None and not young:
            return by_hand
        return reword(text, about, rw.rewrites)

    def _group_items(self, gid: str) -> tuple[str, ...]:
        """The items a grouped question covers now: those that apply and are still
        open, or were last answered by this same question (so it can be changed).
        Never an item known from elsewhere (pre-filled, or another question):
        answering the group must not overwrite it."""
        last_set_by: dict[str, str] = {}
        for step in self._steps:
            for f in step.findings:
                last_set_by[f] = step.question
        return tuple(
            f
            for f in self._groups()[gid]
            if self._applies(f) and (self._open(f) or last_set_by.get(f) == gid)
        )

    def _groups(self) -> dict[str, list[str]]:
        return _groups_of(self.engine)

    def _group_question(self, gid: str, items: tuple[str, ...]) -> Question:
        kb = self.engine.kb
        screen = next((x for x in kb.interview.screens if x.id == gid), None)
        if screen is not None:
            text, why, kind = self._worded(gid, screen.text), screen.why, "screen"
            again = any(f in self._asked for f in items)
            if again and screen.again_text:
                text = screen.again_text  # speaks to the person answering, whoever it is about
            texts = tuple(self._worded(f, kb.findings[f].question) for f in items)
        else:
            cl = next(x for x in kb.interview.checklists if x.id == gid)
            text, why, kind = self._worded(gid, cl.text), cl.why, "checklist"
            texts = tuple(
                self._worded(f, kb.findings[f].question)
                if cl.item_text == "question"
                else kb.findings[f].label[:1].upper() + kb.findings[f].label[1:]
                for f in items
            )
        return Question(
            id=gid,
            text=text,
            why=why,
            type="group",
            items=items,
            item_texts=texts,
            kind=kind,
            asked_before=screen is not None and again,
        )

    def _finding_question(self, fid: str, kind: str = "question") -> Question:
        f = self.engine.kb.findings[fid]
        why = f.why or self.engine.kb.interview.why_by_group.get(f.group, "")
        return Question(
            id=fid,
            text=self._worded(fid, f.question),
            why=why,
            type=f.type,
            choices=tuple(f.choices or ()),
            kind=kind,
            unit=f.unit,
            minimum=f.minimum,
            maximum=f.maximum,
        )

    def _group_values(self, sid: str, items: Sequence[str], value: Any) -> dict[str, Value | None]:
        if value == UNKNOWN:
            return dict.fromkeys(items)
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise CaseError(
                [
                    f"{sid}: expected the list of items that apply (may be empty) or 'unknown', got {value!r}"
                ]
            )
        bad = [v for v in value if v not in items]
        if bad:
            raise CaseError(
                [f"{sid}: {bad} are not items of this question; items are {list(items)}"]
            )
        return {f: f in value for f in items}

    def _best_question(self) -> Question | None:
        options: list[Option] = []
        for cl in self.engine.kb.interview.checklists:
            items = tuple(f for f in cl.items if self._open(f))
            if len(items) > 1:
                options.append(Option(cl.id, items))
            elif items:  # one item left: ask it on its own
                options.append(Option(items[0], items))
        options += [Option(f, (f,)) for f in singles(self.engine) if self._open(f)]
        choice = choose(self.engine, self._known, options)
        if choice is None:
            return None
        if choice.id in self.engine.kb.findings:
            return self._finding_question(choice.id)
        return self._group_question(choice.id, choice.items)


__all__ = ["MAX_QUESTIONS", "RESPONDENTS", "Interview", "Question"]
