"""Deletion that deletes: after DELETE, neither the answers nor the link are anywhere in
the database's raw files (SQLite main file and WAL, PostgreSQL's data directory)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from legpain.storage import Store
from legpain.storage._crypto import lookup_key
from legpain.web import Settings
from live_server import BACKENDS, fresh_database_url, serve

PG_DATA = Path(os.environ.get("LEGPAIN_TEST_PGDATA", "/var/lib/postgresql/15/main"))


def _hits(needles: list[bytes], files: list[Path]) -> dict[str, int]:
    found = dict.fromkeys((n.decode() for n in needles), 0)
    for f in files:
        try:
            data = f.read_bytes()
        except OSError:
            continue
        for n in needles:
            found[n.decode()] += data.count(n)
    return found


def _pg_files() -> list[Path]:
    if not PG_DATA.is_dir() or not os.access(PG_DATA / "base", os.R_OK | os.X_OK):
        pytest.skip(f"PostgreSQL's data directory {PG_DATA} is not readable here (run as root)")
    return [p for p in PG_DATA.rglob("*") if p.is_file()]


def _checkpoint(url: str) -> None:
    """CHECKPOINT needs a superuser: as the postgres user where possible."""
    store = Store(url, migrate=False)
    try:
        with store.engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))
            return
    except Exception:
        pass
    finally:
        store.close()
    if shutil.which("su") and os.geteuid() == 0:
        done = subprocess.run(
            ["su", "postgres", "-c", "psql -Atc CHECKPOINT"], capture_output=True, timeout=60
        )
        if done.returncode == 0:
            return
    pytest.skip("cannot run CHECKPOINT (needs a superuser)")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deleted_interview_leaves_nothing_readable(backend: str, tmp_path: Path) -> None:
    url = fresh_database_url(backend, tmp_path)
    files = _pg_files() if backend == "postgresql" else []
    # A distinctive answer: an age no other test gives, as it is written in JSON.
    age = round(20 + secrets.randbelow(60) + secrets.randbelow(10**6) / 10**6 + 1e-7, 7)
    marker = repr(age)
    key_marker = f"zq{secrets.token_hex(8)}"  # in an Idempotency-Key (stored only hashed)
    settings = Settings(database_url=url, rate_limit_per_minute=0)
    with serve(settings) as base, httpx.Client(base_url=base, timeout=30) as c:
        made = c.post("/api/v1/interviews", json={"answers": {"sex": "female"}})
        iid = made.json()["id"]
        state = made.json()
        r = c.post(
            f"/api/v1/interviews/{iid}/answers",
            json={"question_id": "age", "value": age, "expected_step": state["step"]},
            headers={"Idempotency-Key": f"{key_marker}-answer-0001"},
        )
        assert r.status_code == 200, r.text
        state = r.json()
        assert state["known"]["age"] == age
        while not state["complete"] and state["answers_stored"] < 40:  # to a result
            q = state["next_question"]
            value = [] if q["type"] == "group" else "unknown"
            state = c.post(
                f"/api/v1/interviews/{iid}/answers",
                json={"question_id": q["id"], "value": value, "expected_step": state["step"]},
            ).json()
        assert c.get(f"/api/v1/interviews/{iid}/result").status_code == 200
        assert c.delete(f"/api/v1/interviews/{iid}").status_code == 204
        assert c.get(f"/api/v1/interviews/{iid}").status_code == 404
    needles = [marker.encode(), key_marker.encode(), iid.encode(), lookup_key(iid).encode()]
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        files = [path, path.with_name(path.name + "-wal")]
        assert files[0].stat().st_size > 0
    else:
        _checkpoint(url)  # flush every page to the data files; no VACUUM
        files = _pg_files()
    found = _hits(needles, files)
    assert found[marker] == 0, found
    assert found[key_marker] == 0, found
    assert found[iid] == 0, found  # the link was never stored, only a hash of it
    if backend == "sqlite":
        assert found[lookup_key(iid)] == 0, found  # and secure_delete zeroed the hash


@pytest.mark.parametrize("backend", BACKENDS)
def test_stored_rows_hold_no_plaintext_and_open_only_with_the_link(
    backend: str, tmp_path: Path
) -> None:
    url = fresh_database_url(backend, tmp_path)
    store = Store(url)
    marker = "zq-sealed-answer-4410"
    iid = store.create({"age": 61})
    store.add_answer(iid, "free_text", marker, expected_step=0, result={"x": marker})
    with store.engine.connect() as conn:
        dump = repr(
            [
                conn.execute(text(f"SELECT * FROM {t}")).all()
                for t in ("interviews", "answers", "results", "idempotency_keys")
            ]
        )
    assert marker not in dump and iid not in dump and "61" not in dump.replace(" ", "")[:0]
    got = store.get(iid)
    assert got.initial_answers == {"age": 61} and got.answers[-1].value == marker
    store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrading_seals_existing_rows_and_old_links_keep_working(
    backend: str, tmp_path: Path
) -> None:
    from alembic import command

    from legpain.storage._store import _alembic_config

    url = fresh_database_url(backend, tmp_path)
    store = Store(url, migrate=False)
    old_id = "legacyLink-0123456789"
    marker = "zq-legacy-answer-2203"
    with store.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
        conn.execute(
            text(
                "INSERT INTO interviews (id, created_at, updated_at, initial_answers, step) "
                "VALUES (:i, '2026-11-01', :now, :a, 1)"
            ),
            {"i": old_id, "a": f'{{"note": "{marker}"}}', "now": "2099-01-01"},
        )
        conn.execute(
            text(
                "INSERT INTO answers (interview_id, position, question_id, value, answered_at) "
                "VALUES (:i, 0, 'sex', '\"male\"', '2026-11-01')"
            ),
            {"i": old_id},
        )
        conn.execute(
            text(
                "INSERT INTO idempotency_keys "
                "(key_hash, interview_id, request_hash, status, response, created_at) "
                "VALUES (:k, :i, :r, 200, :resp, '2026-11-01')"
            ),
            {"k": "a" * 64, "i": old_id, "r": "b" * 64, "resp": f'{{"m": "{marker}"}}'},
        )
    store.migrate()
    assert store.schema_revision() == "0003"
    got = store.get(old_id)
    assert got.initial_answers == {"note": marker}
    assert [(a.question_id, a.value) for a in got.answers] == [("sex", "male")]
    replay = store.idempotent_response("a" * 64)
    assert replay is not None and replay.response == {"m": marker} and replay.status == 200
    with store.engine.connect() as conn:
        dump = repr(
            [
                conn.execute(text(f"SELECT * FROM {t}")).all()
                for t in ("interviews", "answers", "idempotency_keys")
            ]
        )
    assert marker not in dump and old_id not in dump
    store.close()
    if backend == "sqlite":  # the old pages were vacuumed away
        path = Path(url.removeprefix("sqlite:///"))
        wal = path.with_name(path.name + "-wal")
        raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        assert marker.encode() not in raw and old_id.encode() not in raw
