"""Retention is enforced at read: an interview past it is not found, and is purged."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from legpain.storage import IdempotencyRecord, InterviewNotFound, Store
from legpain.storage._crypto import lookup_key
from legpain.web import Settings
from live_server import serve
from stored_rows import age_interview


def _rows(store: Store, interview_id: str) -> int:
    key = lookup_key(interview_id)
    with store.engine.connect() as conn:
        return sum(
            int(conn.execute(text(f"SELECT count(*) FROM {t} WHERE {c} = :k"), {"k": key}).scalar())
            for t, c in (
                ("interviews", "id"),
                ("answers", "interview_id"),
                ("results", "interview_id"),
                ("idempotency_keys", "interview_id"),
            )
        )


def test_an_expired_interview_is_not_found_and_is_purged_when_read(db_url: str) -> None:
    store = Store(db_url, retention_days=30)
    old = store.create({"age": 70})
    store.add_answer(
        old,
        "sex",
        "male",
        expected_step=0,
        result={"x": 1},
        idempotency=IdempotencyRecord("c" * 64, "d" * 64, 200, {"step": 1}),
    )
    fresh = store.create()
    age_interview(store, old, 31)
    age_interview(store, fresh, 29)
    assert _rows(store, old) == 4
    assert store.idempotent_response("c" * 64) is None  # no replay of an expired write
    with pytest.raises(InterviewNotFound):
        store.get(old)
    assert _rows(store, old) == 0  # purged by the read, not by a later purge
    assert store.get(fresh).id == fresh  # 29 days: still there
    store.close()


def test_a_write_to_an_expired_interview_is_not_found_and_purges_it(db_url: str) -> None:
    store = Store(db_url, retention_days=1)
    iid = store.create()
    age_interview(store, iid, 2)
    with pytest.raises(InterviewNotFound):
        store.add_answer(iid, "age", 40, expected_step=0)
    assert _rows(store, iid) == 0
    iid = store.create()
    store.add_answer(iid, "age", 40, expected_step=0)
    age_interview(store, iid, 2)
    with pytest.raises(InterviewNotFound):
        store.remove_last_answer(iid, expected_step=1)
    assert _rows(store, iid) == 0
    store.close()


def test_retention_zero_keeps_everything(db_url: str) -> None:
    store = Store(db_url, retention_days=0)
    iid = store.create()
    age_interview(store, iid, 3650)
    assert store.get(iid).id == iid
    store.close()


def test_the_web_app_answers_404_past_retention(db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=db_url, retention_days=7, rate_limit_per_minute=0)
    with serve(settings) as base, httpx.Client(base_url=base) as c:
        api_id = c.post("/api/v1/interviews").json()["id"]
        page_id = c.post("/api/v1/interviews").json()["id"]
        store = Store(db_url, migrate=False)
        age_interview(store, api_id, 8)
        age_interview(store, page_id, 8)
        assert c.get(f"/api/v1/interviews/{api_id}").status_code == 404
        r = c.get(f"/i/{page_id}")
        assert r.status_code == 404 and "retention" in r.text
        assert _rows(store, api_id) == _rows(store, page_id) == 0
        store.close()
