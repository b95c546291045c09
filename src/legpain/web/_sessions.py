"""Saved interviews as live ``legpain.Interview`` objects.

Each request rebuilds the interview from its stored answers, so no worker keeps
state between requests; every clinical decision stays in the interview and engine.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from legpain.engine import CaseError
from legpain.interview import RESPONDENTS, Interview, Question
from legpain.storage import InterviewNotFound, Store, StoredAnswer, StoredInterview

# The interview asks at most 30 questions; changing answers adds steps. A bound keeps
# one interview from growing without end.
MAX_STORED_ANSWERS = 200
# Who the answers are about is stored beside the initial answers, under a key that
# is no finding id (no schema change); "self" is not stored.
RESPONDENT_KEY = "respondent"

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


def rebuild(stored: StoredInterview) -> LiveInterview:
    initial = dict(stored.initial_answers)
    respondent = initial.pop(RESPONDENT_KEY, "self")
    interview = Interview(
        answers=initial, respondent=respondent if respondent in RESPONDENTS else "self"
    )
    for a in stored.answers:
        try:
            interview.answer(a.question_id, a.value)
        except CaseError:
            # Only possible if the knowledge base changed since it was saved. The answer
            # stays stored; the question is asked again. Never log the value.
            log.warning("stored answer %d to %s no longer valid", a.position, a.question_id)
    return LiveInterview(stored, interview)


def open_interview(store: Store, interview_id: str) -> LiveInterview:
    return rebuild(store.get(interview_id))


def start_interview(
    store: Store, initial_answers: dict[str, Any] | None, respondent: str = "self"
) -> LiveInterview:
    """Validate the initial answers (``CaseError`` naming the field), then save."""
    Interview(answers=initial_answers or {}, respondent=respondent)
    saved = dict(initial_answers or {})
    if respondent != "self":
        saved[RESPONDENT_KEY] = respondent
    return open_interview(store, store.create(saved))


def answer(store: Store, live: LiveInterview, question_id: str, value: Any) -> LiveInterview:
    """Apply and save one answer; ``CaseError`` if it is not valid for this interview.

    ``AnswerConflict`` if another request answered at the same position first.
    """
    if live.answer_count >= MAX_STORED_ANSWERS:
        raise TooManyAnswers(f"an interview keeps at most {MAX_STORED_ANSWERS} answers")
    live.interview.answer(question_id, value)
    following = live.interview.next_question()
    result = live.interview.result_dict() if following is None else None
    position = live.answer_count
    store.add_answer(live.id, position, question_id, value, result)
    stored = replace(
        live.stored,
        answers=(*live.stored.answers, StoredAnswer(position, question_id, value)),
        result=result,
    )
    return LiveInterview(stored, live.interview, following)


def undo(store: Store, live: LiveInterview) -> bool:
    """Take back the last stored answer; False if there is none."""
    return store.remove_last_answer(live.id, live.answer_count)


__all__ = [
    "InterviewNotFound",
    "LiveInterview",
    "NothingToUndo",
    "TooManyAnswers",
    "answer",
    "open_interview",
    "rebuild",
    "start_interview",
    "undo",
]
