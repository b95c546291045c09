"""The store on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from legpain.storage import AnswerConflict, InterviewNotFound, Store, database_url
from legpain.storage._models import AnswerRow, ResultRow


def test_migrations_run_and_are_idempotent(db_url: str) -> None:
    first = Store(db_url)
    assert first.schema_revision() == "0001"
    second = Store(db_url)  # a second worker starting: nothing to do, no error
    assert second.schema_revision() == "0001"
    first.close()
    second.close()


def test_answers_are_kept_in_order(store: Store) -> None:
    iid = store.create({"age": 40})
    store.add_answer(iid, 0, "sex", "female")
    store.add_answer(iid, 1, "screen_emergency", ["chest_pain"])
    store.add_answer(iid, 2, "pain_severity", 7.5)
    got = store.get(iid)
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


def test_a_racing_second_answer_at_the_same_position_is_a_conflict(store: Store) -> None:
    iid = store.create()
    store.add_answer(iid, 0, "age", 50)
    with pytest.raises(AnswerConflict):
        store.add_answer(iid, 0, "age", 60)
    assert [a.value for a in store.get(iid).answers] == [50]


def test_result_is_saved_and_dropped_when_an_answer_changes(store: Store) -> None:
    iid = store.create()
    store.add_answer(iid, 0, "age", 50, result={"triage": "routine"})
    assert store.get(iid).result == {"triage": "routine"}
    assert store.remove_last_answer(iid, 1)
    assert store.get(iid).result is None
    assert store.get(iid).answers == ()
    assert not store.remove_last_answer(iid, 0)


def test_undo_of_a_stale_count_is_a_conflict(store: Store) -> None:
    iid = store.create()
    store.add_answer(iid, 0, "age", 50)
    store.add_answer(iid, 1, "sex", "male")
    with pytest.raises(AnswerConflict):
        store.remove_last_answer(iid, 1)  # the writer thought answer 0 was last
    assert len(store.get(iid).answers) == 2


def test_delete_removes_every_row(store: Store) -> None:
    iid = store.create({"age": 30})
    store.add_answer(iid, 0, "sex", "male", result={"x": 1})
    keep = store.create()
    store.add_answer(keep, 0, "sex", "female")
    assert store.delete(iid)
    assert not store.delete(iid)
    with pytest.raises(InterviewNotFound):
        store.get(iid)
    with store.engine.connect() as conn:
        for table in (AnswerRow, ResultRow):
            n = conn.scalar(
                select(func.count()).select_from(table).where(table.interview_id == iid)
            )
            assert n == 0
    assert len(store.get(keep).answers) == 1


def test_unknown_interview(store: Store) -> None:
    with pytest.raises(InterviewNotFound):
        store.get("A" * 22)
    with pytest.raises(InterviewNotFound):
        store.add_answer("A" * 22, 0, "age", 3)


def test_retention_deletes_only_old_assessments(store: Store) -> None:
    old = store.create()
    store.add_answer(old, 0, "age", 70)
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


def test_sqlite_file_keeps_no_trace_of_deleted_answers(tmp_path: Path) -> None:
    path = tmp_path / "secure.sqlite3"
    store = Store(f"sqlite:///{path}")
    marker = "zq-unmistakable-marker-7731"
    iid = store.create({"note_for_test": marker})
    store.add_answer(iid, 0, "free", marker)
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
    assert Store(db_url, migrate=False).schema_revision() == "0001"
