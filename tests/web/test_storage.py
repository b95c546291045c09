"""The store on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from legpain.storage import (
    AnswerConflict,
    DatabaseUnavailable,
    IdempotencyKeyUsed,
    IdempotencyRecord,
    InterviewNotFound,
    Store,
    database_url,
)
from legpain.storage._crypto import lookup_key
from legpain.storage._models import AnswerRow, IdempotencyRow, ResultRow


def test_migrations_run_and_are_idempotent(db_url: str) -> None:
    first = Store(db_url)
    assert first.schema_revision() == "0003"
    second = Store(db_url)  # a second worker starting: nothing to do, no error
    assert second.schema_revision() == "0003"
    first.close()
    second.close()


def test_answers_are_kept_in_order(store: Store) -> None:
    iid = store.create({"age": 40})
    assert store.add_answer(iid, "sex", "female", expected_step=0) == 1
    assert store.add_answer(iid, "screen_emergency", ["chest_pain"], expected_step=1) == 2
    assert store.add_answer(iid, "pain_severity", 7.5, expected_step=2) == 3
    got = store.get(iid)
    assert got.step == 3
    assert got.initial_answers == {"age": 40}
    assert [(a.position, a.question_id, a.value) for a in got.answers] == [
        (0, "sex", "female"),
        (1, "screen_emergency", ["chest_pain"]),
        (2, "pain_severity", 7.5),
    ]


def test_ids_are_unguessable_and_distinct(store: Store) -> None:
    ids = {store.create() for _ in range(50)}
    assert len(ids) == 50
    assert all(len(i) == 22 for i in ids)  # 16 random bytes, URL-safe base64


def test_a_second_write_at_the_same_step_is_a_conflict_naming_the_step(store: Store) -> None:
    iid = store.create()
    store.add_answer(iid, "age", 50, expected_step=0)
    with pytest.raises(AnswerConflict) as caught:
        store.add_answer(iid, "age", 60, expected_step=0)
    assert caught.value.current_step == 1
    with pytest.raises(AnswerConflict):
        store.remove_last_answer(iid, expected_step=0)
    got = store.get(iid)
    assert [a.value for a in got.answers] == [50]
    assert got.step == 1


def test_result_is_saved_and_dropped_when_an_answer_changes(store: Store) -> None:
    iid = store.create()
    store.add_answer(iid, "age", 50, expected_step=0, result={"triage": "routine"})
    assert store.get(iid).result == {"triage": "routine"}
    assert store.remove_last_answer(iid, expected_step=1)
    assert store.get(iid).result is None
    assert store.get(iid).answers == ()
    assert not store.remove_last_answer(iid, expected_step=2)  # nothing to take back
    assert store.get(iid).step == 2  # and the step did not move


def test_a_writer_that_read_no_result_skips_its_delete_safely(store: Store) -> None:
    """``result_kept=False`` (the caller's reading held no result) skips deleting one; a
    result saved after all (a stale one, as save_result may leave) is never shown, and
    completing the interview still replaces it."""
    iid = store.create()
    store.add_answer(iid, "age", 50, expected_step=0, result_kept=False)
    store.save_result(iid, 0, {"triage": "stale"})  # for an earlier count: never shown
    store.add_answer(iid, "sex", "male", expected_step=1, result_kept=False)
    assert store.get(iid).result is None
    store.add_answer(iid, "smoker", True, expected_step=2, result={"triage": "routine"})
    assert store.get(iid).result == {"triage": "routine"}
    store.add_answer(iid, "smoker", False, expected_step=3)  # kept: deleted again
    assert store.get(iid).result is None


def test_undo_of_a_stale_step_is_a_conflict(store: Store) -> None:
    iid = store.create()
    store.add_answer(iid, "age", 50, expected_step=0)
    store.add_answer(iid, "sex", "male", expected_step=1)
    with pytest.raises(AnswerConflict):
        store.remove_last_answer(iid, expected_step=1)  # the writer thought answer 0 was last
    assert len(store.get(iid).answers) == 2


def test_an_answer_after_an_undo_takes_the_next_place(store: Store) -> None:
    # The jam of issue 12: an undo and an answer both applied, leaving a gap at
    # position 0, after which every write conflicted. Now the second one is refused,
    # and the writes that follow go on from the state that won.
    iid = store.create()
    store.add_answer(iid, "age", 50, expected_step=0)
    assert store.remove_last_answer(iid, expected_step=1)
    with pytest.raises(AnswerConflict):
        store.add_answer(iid, "sex", "male", expected_step=1)
    store.add_answer(iid, "age", 51, expected_step=2)
    store.add_answer(iid, "sex", "male", expected_step=3)
    assert store.remove_last_answer(iid, expected_step=4)
    assert [(a.question_id, a.value) for a in store.get(iid).answers] == [("age", 51)]


def test_delete_removes_every_row(store: Store) -> None:
    iid = store.create({"age": 30})
    store.add_answer(
        iid,
        "sex",
        "male",
        expected_step=0,
        result={"x": 1},
        idempotency=IdempotencyRecord("k" * 64, "r" * 64, 200, {"x": 1}),
    )
    keep = store.create()
    store.add_answer(keep, "sex", "female", expected_step=0)
    assert store.delete(iid)
    assert not store.delete(iid)
    with pytest.raises(InterviewNotFound):
        store.get(iid)
    with store.engine.connect() as conn:
        for table in (AnswerRow, ResultRow, IdempotencyRow):
            n = conn.scalar(
                select(func.count()).select_from(table).where(table.interview_id == lookup_key(iid))
            )
            assert n == 0
    assert len(store.get(keep).answers) == 1


def test_unknown_interview(store: Store) -> None:
    with pytest.raises(InterviewNotFound):
        store.get("A" * 22)
    with pytest.raises(InterviewNotFound):
        store.add_answer("A" * 22, "age", 3, expected_step=0)


def test_retention_deletes_only_old_assessments(store: Store) -> None:
    old = store.create()
    store.add_answer(
        old,
        "age",
        70,
        expected_step=0,
        idempotency=IdempotencyRecord("o" * 64, "r" * 64, 200, {}),
    )
    recent = store.create()
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=40)  # the store's naive UTC
    assert store.purge_older_than(30, now=later + timedelta(hours=12)) == 2
    old2 = store.create()
    assert store.purge_older_than(30) == 0
    assert store.get(old2).id == old2
    with pytest.raises(InterviewNotFound):
        store.get(old)
    with pytest.raises(InterviewNotFound):
        store.get(recent)
    assert store.idempotent_response("o" * 64) is None  # kept only as long as the interview


def test_sqlite_file_keeps_no_trace_of_deleted_answers(tmp_path: Path) -> None:
    path = tmp_path / "secure.sqlite3"
    store = Store(f"sqlite:///{path}")
    marker = "zq-unmistakable-marker-7731"
    iid = store.create({"note_for_test": marker})
    store.add_answer(iid, "free", marker, expected_step=0)
    store.delete(iid)
    with store.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    store.close()
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    assert marker.encode() not in data


def test_database_url_gives_postgres_the_psycopg_driver() -> None:
    assert database_url("postgresql://u:p@h/db").startswith("postgresql+psycopg://u:p@h/db")
    assert database_url(None, sqlite_path="/tmp/x.db") == "sqlite:////tmp/x.db"


def test_workers_starting_together_migrate_once(db_url: str) -> None:
    # Separate processes, as uvicorn's workers are (Alembic itself is not thread-safe).
    # Each waits, imports done, for the same instant, so their migrations overlap.
    code = (
        "import sys, time; from legpain.storage import Store; "
        "time.sleep(max(0, float(sys.argv[2]) - time.time())); Store(sys.argv[1]).close()"
    )
    go = str(time.time() + 2.5)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code, db_url, go], stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    for w in workers:
        _, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
    assert Store(db_url, migrate=False).schema_revision() == "0003"


def test_an_idempotency_key_is_kept_with_its_write_and_cannot_be_used_twice(store: Store) -> None:
    iid = store.create()
    first = IdempotencyRecord("a" * 64, "b" * 64, 200, {"step": 1})
    store.add_answer(iid, "age", 50, expected_step=0, idempotency=first)
    assert store.idempotent_response("a" * 64) == first
    with pytest.raises(IdempotencyKeyUsed):  # the whole write is undone with it
        store.add_answer(iid, "sex", "male", expected_step=1, idempotency=first)
    got = store.get(iid)
    assert [a.value for a in got.answers] == [50]
    assert got.step == 1


def test_upgrading_a_0001_database_keeps_its_interviews(db_url: str) -> None:
    from alembic import command

    from legpain.storage._store import _alembic_config

    store = Store(db_url, migrate=False)
    with store.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO interviews (id, created_at, updated_at, initial_answers) "
                "VALUES ('legacy-interview-1', '2026-01-01', '2026-01-01', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO answers (interview_id, position, question_id, value, answered_at) "
                "VALUES ('legacy-interview-1', 0, 'age', '50', '2026-01-01')"
            )
        )
    store.migrate()
    assert store.schema_revision() == "0003"
    got = store.get("legacy-interview-1")
    assert got.step == 1  # the number of answers: an open page's step still matches
    store.add_answer(got.id, "sex", "male", expected_step=1)
    assert [a.question_id for a in store.get(got.id).answers] == ["age", "sex"]
    store.close()


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("nonsense://x", "not one legpain can use"),
        ("not a url", "not one legpain can use"),
        ("postgresql://nobody:hunter2@127.0.0.1:1/db", "127.0.0.1:1"),
    ],
)
def test_a_database_that_cannot_be_opened_is_said_in_words(url: str, named: str) -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        Store(url)
    assert named in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_a_sqlite_file_whose_folder_is_a_file_is_said_in_words(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("")
    with pytest.raises(DatabaseUnavailable, match="is a file, not a folder"):
        Store(f"sqlite:///{tmp_path / 'plain' / 'legpain.sqlite3'}")
