"""A worker's copies of the interviews it served last are used only while current.

The copies spare an answer the replay of every stored answer; these tests change the
database behind a worker's back (as another worker, a deletion or the retention would)
and check that the worker then reads the interview as stored, never its copy.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from legpain.engine import CaseError
from legpain.interview import Interview
from legpain.storage import AnswerConflict, InterviewNotFound, Store
from legpain.web import _sessions as sessions
from stored_rows import age_interview


def _first_answer(live: sessions.LiveInterview) -> tuple[str, object]:
    q = live.next_question
    assert q is not None
    return q.id, ([] if q.type == "group" else 70 if q.type == "number" else "unknown")


def test_an_answer_saved_by_another_worker_is_seen(store: Store) -> None:
    live = sessions.start_interview(store, {})
    qid, value = _first_answer(live)
    # Another worker records an answer: straight into the store, past this worker's copy.
    store.add_answer(live.id, qid, value, expected_step=live.step)
    now = sessions.open_interview(store, live.id)
    assert now.step == live.step + 1
    assert [a.question_id for a in now.stored.answers] == [qid]


def test_a_copy_is_not_changed_by_answering_what_was_handed_out(store: Store) -> None:
    live = sessions.start_interview(store, {})
    first = sessions.open_interview(store, live.id)
    qid, value = _first_answer(first)
    first.interview.answer(qid, value)  # applied, never saved
    again = sessions.open_interview(store, live.id)
    assert again.interview.questions_asked == 0
    assert again.stored.answers == ()


def test_an_interview_deleted_elsewhere_is_not_found(store: Store) -> None:
    live = sessions.start_interview(store, {})
    sessions.open_interview(store, live.id)
    store.delete(live.id)  # by another worker: this one still holds its copy
    with pytest.raises(InterviewNotFound):
        sessions.open_interview(store, live.id)


def test_an_interview_past_its_retention_is_not_served_from_a_copy(db_url: str) -> None:
    store = Store(db_url, retention_days=30)
    try:
        live = sessions.start_interview(store, {"age": 70})
        age_interview(store, live.id, 31)
        with pytest.raises(InterviewNotFound):
            sessions.open_interview(store, live.id)
        with pytest.raises(InterviewNotFound):
            store.get(live.id)  # purged at that read
    finally:
        store.close()


def test_deleting_forgets_the_copy(store: Store) -> None:
    live = sessions.start_interview(store, {})
    assert sessions.delete_interview(store, live.id)
    assert sessions._RECENT.get(store, live.id) is None


def test_an_interview_copy_is_independent() -> None:
    iv = Interview(answers={"age": 40})
    q = iv.next_question()
    assert q is not None
    other = iv.copy()
    other.answer(q.id, [] if q.type == "group" else "unknown")
    assert iv.questions_asked == 0 and other.questions_asked == 1
    assert iv.next_question() == q


def _answer_elsewhere(store: Store, interview_id: str) -> None:
    """Another worker answers the next question: read whole, answered, saved."""
    other = sessions.rebuild(store.get(interview_id))
    qid, value = _first_answer(other)
    store.add_answer(interview_id, qid, value, expected_step=other.step)


def _same_state(a: sessions.LiveInterview, b: sessions.LiveInterview) -> None:
    assert a.step == b.step and a.stored.answers == b.stored.answers
    assert a.stored.result == b.stored.result
    assert a.interview.known == b.interview.known
    assert a.interview.questions_asked == b.interview.questions_asked
    assert a.next_question == b.next_question


def test_answers_added_by_other_workers_are_applied_to_the_copy(store: Store) -> None:
    live = sessions.start_interview(store, {"age": 70})
    sessions.open_interview(store, live.id)
    _answer_elsewhere(store, live.id)
    _answer_elsewhere(store, live.id)
    now = sessions.open_interview(store, live.id)
    assert len(now.stored.answers) == 2
    _same_state(now, sessions.rebuild(store.get(live.id)))


def test_an_answer_taken_back_elsewhere_means_a_whole_read(store: Store) -> None:
    live = sessions.start_interview(store, {"age": 70})
    _answer_elsewhere(store, live.id)
    held = sessions.open_interview(store, live.id)  # this worker's copy: one answer
    # Elsewhere: the answer is taken back and a different one given (same count).
    assert store.remove_last_answer(live.id, expected_step=held.step)
    _answer_elsewhere(store, live.id)
    assert store.get_after(held.stored) is None
    now = sessions.open_interview(store, live.id)
    _same_state(now, sessions.rebuild(store.get(live.id)))


def test_a_current_copy_costs_one_step_read(store: Store) -> None:
    live = sessions.start_interview(store, {})
    held = sessions.open_interview(store, live.id)
    assert store.get_after(held.stored) is held.stored


# --- a write on a held copy, unread (``sessions.write_to``) ---------------------------


def _answer_next(live: sessions.LiveInterview, store: Store) -> sessions.LiveInterview:
    qid, value = _first_answer(live)
    return sessions.answer(store, live, qid, value)


def _statements(store: Store) -> list[str]:
    """Collects every SQL statement the store sends from now on."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        sent.append(statement.split(None, 1)[0].upper())

    event.listen(store.engine, "before_cursor_execute", record)
    return sent


def test_an_answer_on_the_only_writers_copy_reads_nothing_first(store: Store) -> None:
    live = sessions.start_interview(store, {})
    sent = _statements(store)
    after = sessions.write_to(
        store, live.id, None, lambda held: _answer_next(held, store), only_writer=True
    )
    assert after.step == live.step + 1
    # The compare-and-set's UPDATE is the check that the copy was current.
    assert "SELECT" not in sent and "UPDATE" in sent
    _same_state(after, sessions.rebuild(store.get(live.id)))


def test_an_answer_with_the_copys_step_reads_nothing_first(store: Store) -> None:
    live = sessions.start_interview(store, {})
    sent = _statements(store)

    def write(held: sessions.LiveInterview) -> sessions.LiveInterview:
        qid, value = _first_answer(held)
        return sessions.answer(store, held, qid, value, expected_step=live.step)

    sessions.write_to(store, live.id, live.step, write)
    assert "SELECT" not in sent


def test_with_several_workers_an_answer_without_a_step_reads_first(store: Store) -> None:
    live = sessions.start_interview(store, {"age": 70})
    _answer_elsewhere(store, live.id)  # this worker's copy is one answer behind
    after = sessions.write_to(store, live.id, None, lambda held: _answer_next(held, store))
    assert [a.position for a in after.stored.answers] == [0, 1]
    _same_state(after, sessions.rebuild(store.get(live.id)))


def test_the_only_writers_race_without_a_step_is_a_conflict(store: Store) -> None:
    """Two requests of one worker took the same copy; the first wins, the second is
    refused as when both had read the same step (never re-applied to a state its sender
    never saw: an undo would take back the answer just given)."""
    live = sessions.start_interview(store, {"age": 70})
    sessions.write_to(
        store, live.id, None, lambda held: _answer_next(held, store), only_writer=True
    )
    loser = sessions._RECENT.get(store, live.id)  # one answer; a second request's copy
    assert loser is not None
    sessions.write_to(
        store, live.id, None, lambda held: _answer_next(held, store), only_writer=True
    )
    tries: list[sessions.LiveInterview] = []

    def undo(held: sessions.LiveInterview) -> sessions.LiveInterview:
        # The second request's undo, first on the copy it took before the answer won.
        tries.append(held)
        return sessions.undo(store, loser if len(tries) == 1 else held)

    with pytest.raises(AnswerConflict):
        sessions.write_to(store, live.id, None, undo, only_writer=True)
    assert len(tries) == 1  # not tried again on the interview as it is now
    assert len(store.get(live.id).answers) == 2  # the answer that won stays


def test_a_step_the_copy_shares_but_the_interview_left_is_a_conflict(store: Store) -> None:
    live = sessions.start_interview(store, {"age": 70})
    _answer_elsewhere(store, live.id)

    def write(held: sessions.LiveInterview) -> sessions.LiveInterview:
        qid, value = _first_answer(held)
        return sessions.answer(store, held, qid, value, expected_step=live.step)

    with pytest.raises(AnswerConflict):
        sessions.write_to(store, live.id, live.step, write)
    assert len(store.get(live.id).answers) == 1  # nothing recorded


@pytest.mark.parametrize("only_writer", [True, False])
def test_a_write_on_a_copy_of_an_interview_deleted_elsewhere_is_not_found(
    store: Store, only_writer: bool
) -> None:
    live = sessions.start_interview(store, {})
    store.delete(live.id)  # by another worker
    with pytest.raises(InterviewNotFound):
        sessions.write_to(
            store, live.id, None, lambda held: _answer_next(held, store), only_writer=only_writer
        )


def _answer_invalid(live: sessions.LiveInterview, store: Store) -> sessions.LiveInterview:
    qid, _value = _first_answer(live)
    return sessions.answer(store, live, qid, "not an answer to anything")


@pytest.mark.parametrize("only_writer", [True, False])
def test_an_invalid_answer_is_refused_and_nothing_is_saved(store: Store, only_writer: bool) -> None:
    live = sessions.start_interview(store, {"age": 70})
    with pytest.raises((CaseError, ValueError)):
        sessions.write_to(
            store, live.id, None, lambda held: _answer_invalid(held, store), only_writer=only_writer
        )
    assert store.get(live.id).answers == live.stored.answers


def test_an_invalid_answer_to_an_interview_deleted_elsewhere_is_not_found(store: Store) -> None:
    """The only writer's copy refuses the answer; the interview, read again, is gone:
    404 (not found), not 422 (invalid)."""
    live = sessions.start_interview(store, {})
    store.delete(live.id)  # by the purge or another process, behind this worker's back
    with pytest.raises(InterviewNotFound):
        sessions.write_to(
            store, live.id, None, lambda held: _answer_invalid(held, store), only_writer=True
        )


def test_a_write_on_a_copy_past_its_retention_is_not_found_and_purges(db_url: str) -> None:
    store = Store(db_url, retention_days=30)
    try:
        live = sessions.start_interview(store, {"age": 70})
        age_interview(store, live.id, 31)
        with pytest.raises(InterviewNotFound):
            sessions.write_to(
                store, live.id, None, lambda held: _answer_next(held, store), only_writer=True
            )
        assert store.count_interviews() == 0
    finally:
        store.close()


def test_with_several_workers_an_undo_takes_back_the_last_answer_stored(store: Store) -> None:
    live = sessions.start_interview(store, {"age": 70})
    _answer_elsewhere(store, live.id)
    after = sessions.write_to(store, live.id, None, lambda held: sessions.undo(store, held))
    assert after.stored.answers == () and store.get(live.id).answers == ()
