"""Saved interviews as live ``legpain.Interview`` objects.

A request rebuilds the interview from its stored answers, unless this worker wrote
or read it last: then a copy of it as it stood is used, once one SELECT of its step
counter shows that nothing changed it since (see ``_Recent``), or with the answers
that other workers added since applied to it. Every clinical
decision stays in the interview and engine.

Every write answers one step of the interview: the step the client says it saw
(``expected_step``), else the step this request read. The store applies it only if
the interview is still at that step (a compare-and-set), so two writes racing for
one interview never both apply and never leave it half-changed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from legpain.engine import CaseError
from legpain.interview import RESPONDENTS, Interview, Question
from legpain.storage import (
    AnswerConflict,
    IdempotencyRecord,
    InterviewNotFound,
    Store,
    StoredAnswer,
    StoredInterview,
    new_id,
)

# The interview asks at most 30 questions; changing answers adds steps. A bound keeps
# one interview from growing without end.
MAX_STORED_ANSWERS = 200
# Who the answers are about is stored beside the initial answers, under a key that
# is no finding id (no schema change); "self" is not stored.
RESPONDENT_KEY = "respondent"
# Unsure readings of the typed text, kept beside the answers: asked, never taken as given.
SUGGESTED_KEY = "suggested"

log = logging.getLogger("legpain.web")


_UNSET: Any = object()


class TooManyAnswers(ValueError):
    """The interview already holds the most answers it may keep."""


class NothingToUndo(ValueError):
    """There is no answer to take back."""


class LiveInterview:
    """A stored interview replayed into a ``legpain.Interview``.

    The next question is worked out only when asked for: choosing it is the costly
    step, and answering does not need the question that was on screen.
    """

    def __init__(
        self, stored: StoredInterview, interview: Interview, next_question: Any = _UNSET
    ) -> None:
        self.stored = stored
        self.interview = interview
        self._next = next_question

    @property
    def next_question(self) -> Question | None:
        if self._next is _UNSET:
            # A saved result is saved only once the interview is complete.
            complete = self.stored.result is not None
            self._next = None if complete else self.interview.next_question()
        question: Question | None = self._next
        return question

    @property
    def id(self) -> str:
        return self.stored.id

    @property
    def step(self) -> int:
        """The interview's step counter: it moves on with every answer and undo."""
        return self.stored.step

    @property
    def answer_count(self) -> int:
        """Stored answers, i.e. the position the next answer will take."""
        return len(self.stored.answers)

    @property
    def complete(self) -> bool:
        return self.next_question is None

    def result(self) -> dict[str, Any]:
        if self.stored.result is not None:
            return self.stored.result
        return self.interview.result_dict()

    def copy(self) -> LiveInterview:
        """A copy whose interview can be answered without changing this one."""
        return LiveInterview(self.stored, self.interview.copy(), self._next)


class _Recent:
    """The interviews this worker last wrote or read, each as it stood at its step.

    Replaying every stored answer (and opening each sealed one) is most of the cost of
    a read; an answer to an interview this worker just served needs only its step
    counter read, to show that no one (another worker, a deletion, the retention)
    changed it since. Every change moves the step or removes the row, so a copy that
    is not current is never used. A write then still goes through the store's
    compare-and-set. At most ``LIMIT`` interviews, each forgotten ``IDLE_SECONDS``
    after its last use: decrypted answers stay in a worker's memory no longer.
    """

    LIMIT = 512
    IDLE_SECONDS = 600.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[str, str], tuple[float, LiveInterview]] = OrderedDict()

    def _forget_idle(self, now: float) -> None:
        while self._kept:
            key, (used, _) = next(iter(self._kept.items()))
            if now - used < self.IDLE_SECONDS and len(self._kept) <= self.LIMIT:
                return
            del self._kept[key]

    def keep(self, store: Store, live: LiveInterview, *, final: bool = False) -> None:
        """Hold a copy of ``live``; ``final``: hold ``live`` itself, which its caller
        changes no more (only reads it for the response), saving the copy."""
        key, now = (store.url, live.id), time.monotonic()
        with self._lock:
            held = self._kept.get(key)
            if held is not None and held[1].step > live.step:
                return  # a newer copy came first
            self._kept[key] = (now, live if final else live.copy())
            self._kept.move_to_end(key)
            self._forget_idle(now)

    def get(self, store: Store, interview_id: str) -> LiveInterview | None:
        key, now = (store.url, interview_id), time.monotonic()
        with self._lock:
            self._forget_idle(now)
            held = self._kept.get(key)
            if held is None:
                return None
            self._kept[key] = (now, held[1])
            self._kept.move_to_end(key)
            return held[1].copy()

    def forget(self, store: Store, interview_id: str) -> None:
        with self._lock:
            self._kept.pop((store.url, interview_id), None)


_RECENT = _Recent()


def rebuild(stored: StoredInterview) -> LiveInterview:
    initial = dict(stored.initial_answers)
    respondent = initial.pop(RESPONDENT_KEY, "self")
    suggested = initial.pop(SUGGESTED_KEY, None)
    interview = Interview(
        answers=initial,
        respondent=respondent if respondent in RESPONDENTS else "self",
        suggested=suggested if isinstance(suggested, dict) else {},
    )
    _replay(interview, stored.answers)
    return LiveInterview(stored, interview)


def _replay(interview: Interview, answers: tuple[StoredAnswer, ...]) -> None:
    for a in answers:
        try:
            interview.answer(a.question_id, a.value)
        except CaseError:
            # Only possible if the knowledge base changed since it was saved. The answer
            # stays stored; the question is asked again. Never log the value.
            log.warning("stored answer %d to %s no longer valid", a.position, a.question_id)


def open_interview(store: Store, interview_id: str) -> LiveInterview:
    """The interview as stored now (``InterviewNotFound`` if gone or expired).

    A copy this worker holds is used if it is current; if other workers only added
    answers since (several workers share the interviews), those answers are applied to
    it; otherwise the interview is read and replayed whole."""
    recent = _RECENT.get(store, interview_id)
    if recent is not None:
        now = store.get_after(recent.stored)
        if now is recent.stored:
            return recent
        if now is not None:
            _replay(recent.interview, now.answers[len(recent.stored.answers) :])
            live = LiveInterview(now, recent.interview)
            _RECENT.keep(store, live)
            return live
        _RECENT.forget(store, interview_id)
    live = rebuild(store.get(interview_id))
    _RECENT.keep(store, live)
    return live


def write_to(
    store: Store,
    interview_id: str,
    expected_step: int | None,
    write: Callable[[LiveInterview], LiveInterview],
    *,
    only_writer: bool = False,
) -> LiveInterview:
    """Apply ``write`` (an answer or an undo) to the interview as stored now.

    A write answers one step: ``expected_step``, else the step read at the start of the
    request. Where this worker holds a copy that can stand for that read, the write is
    tried on it unread, saving the read (a round trip, with PostgreSQL): the store's
    compare-and-set applies it only if the interview is still at the copy's step.

    - With ``expected_step`` equal to the copy's: exactly as with a read, since a failed
      compare-and-set means the interview is not at that step (409 either way). An
      answer the copy refuses is decided again on the interview read now.
    - Without a step, only if this worker is the interviews' only writer
      (``only_writer``): its copy is then the interview as a read would find it, and a
      failed compare-and-set is a write of this worker that came first (409, as when
      both had read the same step). With several workers a copy may be behind, and
      writing it at a step its sender never saw could change the wrong answer, so the
      interview is read first.

    A write the copy refuses (an invalid answer, nothing to undo) is decided again on the
    interview read now: that costs a read only for bad requests, and an interview gone
    meanwhile is then not found rather than the answer called invalid.
    """
    recent = _RECENT.get(store, interview_id)
    if recent is not None and (
        recent.step == expected_step if expected_step is not None else only_writer
    ):
        try:
            return write(recent)
        except (AnswerConflict, InterviewNotFound):
            _RECENT.forget(store, interview_id)
            raise
        except (CaseError, ValueError):
            # ValueError: TooManyAnswers, NothingToUndo, an invalid value. Refused on the
            # copy, nothing was written: decided again on the interview read now, which
            # may be gone (deleted elsewhere, or past its retention: 404, not 422).
            _RECENT.forget(store, interview_id)
    return write(open_interview(store, interview_id))


def delete_interview(store: Store, interview_id: str) -> bool:
    """Delete it from the store and from this worker's memory; False if there was none."""
    _RECENT.forget(store, interview_id)
    return store.delete(interview_id)


# Given the interview as it will be after a write, the idempotency record to keep
# with that write (or None): so the response a retry gets is saved in the same
# transaction as the write it acknowledges.
Remember = Callable[["LiveInterview"], IdempotencyRecord | None]


def no_record(_live: LiveInterview) -> None:
    return None


def start_interview(
    store: Store,
    initial_answers: dict[str, Any] | None,
    remember: Remember = no_record,
    respondent: str = "self",
    suggested: dict[str, Any] | None = None,
) -> LiveInterview:
    """Validate the initial answers (``CaseError`` naming the field), then save.

    Who it is for is kept beside the answers (``RESPONDENT_KEY``), not as a finding."""
    interview = Interview(
        answers=initial_answers or {}, respondent=respondent, suggested=suggested or {}
    )
    saved = dict(initial_answers or {})
    if respondent != "self":
        saved[RESPONDENT_KEY] = respondent
    if suggested:
        saved[SUGGESTED_KEY] = dict(suggested)
    now = _now_naive()
    stored = StoredInterview(
        id=new_id(),
        created_at=now,
        updated_at=now,
        initial_answers=saved,
        answers=(),
        result=None,
        step=0,
    )
    live = LiveInterview(stored, interview)
    store.create(saved, interview_id=stored.id, idempotency=remember(live))
    _RECENT.keep(store, live)
    return live


def _now_naive() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # the store's convention: naive UTC


def _step_to_answer(live: LiveInterview, expected_step: int | None) -> int:
    """The step this write answers; ``AnswerConflict`` at once if it is already stale."""
    if expected_step is None:
        return live.step
    if expected_step != live.step:
        raise AnswerConflict(
            f"the interview is at step {live.step}, not {expected_step}: another request "
            "changed it first",
            current_step=live.step,
        )
    return expected_step


def repeats_last_answer(live: LiveInterview, question_id: str, value: Any) -> bool:
    """True if this is exactly the last stored answer (question and value), and not
    an answer to that same question asked once more (an emergency sign answered
    "don't know" is asked again, and "don't know" again is a new answer)."""
    if not live.stored.answers:
        return False
    last = live.stored.answers[-1]
    if last.question_id != question_id or last.value != value:
        return False
    following = live.next_question
    return following is None or following.id != question_id


def answer(
    store: Store,
    live: LiveInterview,
    question_id: str,
    value: Any,
    *,
    expected_step: int | None = None,
    remember: Remember = no_record,
) -> LiveInterview:
    """Apply and save one answer at ``expected_step`` (else the step read).

    ``CaseError`` if it is not valid for this interview; ``AnswerConflict`` if the
    interview is no longer at that step (nothing saved); ``IdempotencyKeyUsed`` if a
    request with the same key was saved first.
    """
    step = _step_to_answer(live, expected_step)
    if live.answer_count >= MAX_STORED_ANSWERS:
        raise TooManyAnswers(f"an interview keeps at most {MAX_STORED_ANSWERS} answers")
    live.interview.answer(question_id, value)
    following = live.interview.next_question()
    result = live.interview.result_dict() if following is None else None
    answers = live.stored.answers
    position = answers[-1].position + 1 if answers else 0
    stored = replace(
        live.stored,
        answers=(*answers, StoredAnswer(position, question_id, value)),
        result=result,
        step=step + 1,
    )
    after = LiveInterview(stored, live.interview, following)
    store.add_answer(
        live.id,
        question_id,
        value,
        expected_step=step,
        result=result,
        idempotency=remember(after),
        position=position,
        result_kept=live.stored.result is not None,
    )
    _RECENT.keep(store, after, final=True)  # what is returned is only read
    return after


def undo(
    store: Store,
    live: LiveInterview,
    *,
    expected_step: int | None = None,
    remember: Remember = no_record,
) -> LiveInterview:
    """Take back the last stored answer at ``expected_step`` (else the step read).

    ``NothingToUndo`` if there is none; otherwise raises as ``answer``.
    """
    step = _step_to_answer(live, expected_step)
    if not live.stored.answers:
        raise NothingToUndo("there is no answer to take back")
    after = rebuild(
        replace(live.stored, answers=live.stored.answers[:-1], result=None, step=step + 1)
    )
    if not store.remove_last_answer(live.id, expected_step=step, idempotency=remember(after)):
        raise NothingToUndo("there is no answer to take back")
    _RECENT.keep(store, after, final=True)  # what is returned is only read
    return after


__all__ = [
    "AnswerConflict",
    "InterviewNotFound",
    "LiveInterview",
    "NothingToUndo",
    "Remember",
    "TooManyAnswers",
    "answer",
    "delete_interview",
    "no_record",
    "open_interview",
    "rebuild",
    "repeats_last_answer",
    "start_interview",
    "undo",
    "write_to",
]
