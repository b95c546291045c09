"""Racing writes to one interview, and retried writes, over real HTTP on a SQLite file
and on PostgreSQL (issue 12): the interview never jams and no answer is recorded twice."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from legpain.storage import Store
from legpain.web import Settings
from live_server import serve

PROBLEM = "application/problem+json"
ROUNDS = 25  # per kind of race and database; 200 were run once by hand (docs/web.md)


@pytest.fixture(params=[False, True], ids=["several-workers", "only-writer"])
def server(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """Both ways a worker writes: reading the interview first, and (`legpain serve` with
    one worker) writing on its copy unread."""
    settings = Settings(database_url=db_url, rate_limit_per_minute=0, only_writer=request.param)
    with serve(settings) as url:
        yield url


def _race(server: str, *calls: Callable[[httpx.Client], httpx.Response]) -> list[httpx.Response]:
    """Send the calls at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    out: list[httpx.Response | BaseException] = [RuntimeError("not run")] * len(calls)

    def run(i: int) -> None:
        with httpx.Client(base_url=server, timeout=30) as c:
            c.get("/api/v1/vocabulary")  # connect first, so the requests leave together
            barrier.wait()
            try:
                out[i] = calls[i](c)
            except BaseException as exc:  # reported below, not lost in the thread
                out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for r in out:
        if isinstance(r, BaseException):
            raise r
    return out  # type: ignore[return-value]


def _started_with_one_answer(client: httpx.Client) -> str:
    iid: str = client.post("/api/v1/interviews").json()["id"]
    r = client.post(f"/api/v1/interviews/{iid}/answers", json={"question_id": "age", "value": 40})
    assert r.status_code == 200, r.text
    assert r.json()["step"] == 1
    return iid


def _check_not_jammed(client: httpx.Client, store: Store, iid: str) -> None:
    """The stored answers are whole and in order, and the interview takes a write."""
    state = client.get(f"/api/v1/interviews/{iid}").json()
    stored = store.get(iid)
    assert state["step"] == stored.step
    assert state["answers_stored"] == len(stored.answers)
    positions = [a.position for a in stored.answers]
    assert positions == sorted(set(positions))
    questions = [a.question_id for a in stored.answers]
    assert questions.count("sex") <= 1, questions  # never recorded twice
    assert questions.count("age") <= 1, questions
    q = state["next_question"]
    value = 40 if q["id"] == "age" else "female" if q["id"] == "sex" else "unknown"
    r = client.post(
        f"/api/v1/interviews/{iid}/answers",
        json={"question_id": q["id"], "value": value, "expected_step": state["step"]},
    )
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/interviews/{iid}/undo", json={"expected_step": state["step"] + 1})
    assert r.status_code == 200, r.text
    assert r.json()["step"] == state["step"] + 2


@pytest.mark.parametrize("with_step", [True, False], ids=["expected-step", "no-step"])
def test_undo_racing_an_answer_never_jams_the_interview(
    server: str, client: httpx.Client, db_url: str, with_step: bool
) -> None:
    store = Store(db_url, migrate=False)
    extra = {"expected_step": 1} if with_step else {}
    outcomes: dict[tuple[int, int], int] = {}
    try:
        for _ in range(ROUNDS):
            iid = _started_with_one_answer(client)
            path = f"/api/v1/interviews/{iid}"
            undone, answered = _race(
                server,
                lambda c, p=path: c.post(f"{p}/undo", json=extra or None),
                lambda c, p=path: c.post(
                    f"{p}/answers", json={"question_id": "sex", "value": "male", **extra}
                ),
            )
            key = (undone.status_code, answered.status_code)
            outcomes[key] = outcomes.get(key, 0) + 1
            for r in (undone, answered):
                assert r.status_code in (200, 409), r.text
                if r.status_code == 409:
                    problem = r.json()
                    assert r.headers["content-type"] == PROBLEM
                    assert "Nothing was recorded" in problem["detail"]
                    assert problem["current_step"] == problem["current"]["step"]
            if with_step:  # both answer step 1: exactly one wins
                assert sorted(key) == [200, 409], (undone.text, answered.text)
            else:  # each uses the step it read: one wins, or they come one after the other
                assert 200 in key
            _check_not_jammed(client, store, iid)
    finally:
        store.close()
    assert sum(outcomes.values()) == ROUNDS


def test_the_same_answer_sent_twice_at_once_is_recorded_once(
    server: str, client: httpx.Client, db_url: str
) -> None:
    store = Store(db_url, migrate=False)
    try:
        for i in range(ROUNDS):
            iid = _started_with_one_answer(client)
            body: dict[str, Any] = {"question_id": "sex", "value": "female"}
            if i % 2:
                body["expected_step"] = 1
            a, b = _race(
                server,
                lambda c, p=iid, b=body: c.post(f"/api/v1/interviews/{p}/answers", json=b),
                lambda c, p=iid, b=body: c.post(f"/api/v1/interviews/{p}/answers", json=b),
            )
            assert 200 in (a.status_code, b.status_code)
            assert {a.status_code, b.status_code} <= {200, 409}
            assert [x.question_id for x in store.get(iid).answers] == ["age", "sex"]
            _check_not_jammed(client, store, iid)
    finally:
        store.close()


def test_a_stale_expected_step_gets_409_with_the_interview_now(client: httpx.Client) -> None:
    iid = _started_with_one_answer(client)
    r = client.post(
        f"/api/v1/interviews/{iid}/answers",
        json={"question_id": "age", "value": 41, "expected_step": 0},
    )
    assert r.status_code == 409
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["title"] == "Conflict"
    assert "another request" in problem["detail"]
    assert problem["current_step"] == 1
    assert problem["current"]["next_question"]["id"] == "screen_emergency"
    assert problem["current"]["known"] == {"age": 40}
    r = client.post(f"/api/v1/interviews/{iid}/undo", json={"expected_step": 7})
    assert r.status_code == 409
    assert r.json()["current"]["answers_stored"] == 1
    # Nothing to undo is a conflict with the state too, and moves nothing.
    assert client.post(f"/api/v1/interviews/{iid}/undo").status_code == 200
    r = client.post(f"/api/v1/interviews/{iid}/undo")
    assert r.status_code == 409
    assert r.json()["current_step"] == 2


def test_a_retry_with_the_same_idempotency_key_records_nothing_twice(
    client: httpx.Client, db_url: str
) -> None:
    store = Store(db_url, migrate=False)
    try:
        start_key = {"Idempotency-Key": "start-0f8fad5b-d9cb-469f-a165-70867728950e"}
        first = client.post("/api/v1/interviews", json={"answers": {"age": 70}}, headers=start_key)
        assert first.status_code == 201
        before = store.count_interviews()
        again = client.post("/api/v1/interviews", json={"answers": {"age": 70}}, headers=start_key)
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["location"] == first.headers["location"]
        assert again.headers["idempotent-replayed"] == "true"
        assert store.count_interviews() == before
        iid = first.json()["id"]

        # The answer was saved but its response was lost (a killed worker, a dropped
        # connection): the client sends it again with the same key.
        key = {"Idempotency-Key": "answer-7c9e6679-7425-40de-944b-e07fc1f90ae7"}
        body = {"question_id": "sex", "value": "male"}
        saved = client.post(f"/api/v1/interviews/{iid}/answers", json=body, headers=key)
        assert saved.status_code == 200
        retry = client.post(f"/api/v1/interviews/{iid}/answers", json=body, headers=key)
        assert retry.status_code == 200
        assert retry.json() == saved.json()
        assert [a.question_id for a in store.get(iid).answers] == ["sex"]
        assert store.get(iid).step == 1

        # The same key for another request is refused, naming the header.
        other = client.post(
            f"/api/v1/interviews/{iid}/answers",
            json={"question_id": "sex", "value": "female"},
            headers=key,
        )
        assert other.status_code == 422
        assert other.json()["errors"][0]["field"] == "Idempotency-Key"

        # Retries sent at the same moment: one is recorded, both get its response.
        step = store.get(iid).step
        q = client.get(f"/api/v1/interviews/{iid}").json()["next_question"]
        value = [] if q["type"] == "group" else "unknown"
        key = {"Idempotency-Key": "answer-16fd2706-8baf-433b-82eb-8c7fada847da"}
        answer = {"question_id": q["id"], "value": value}
        a, b = _race(
            str(client.base_url),
            lambda c: c.post(f"/api/v1/interviews/{iid}/answers", json=answer, headers=key),
            lambda c: c.post(f"/api/v1/interviews/{iid}/answers", json=answer, headers=key),
        )
        assert a.status_code == b.status_code == 200, (a.text, b.text)
        assert a.json() == b.json()
        assert store.get(iid).step == step + 1
        assert len(store.get(iid).answers) == 2

        # Undo too: the retry takes back nothing more.
        key = {"Idempotency-Key": "undo-6ba7b810-9dad-11d1-80b4-00c04fd430c8"}
        undone = client.post(f"/api/v1/interviews/{iid}/undo", headers=key)
        assert undone.status_code == 200
        assert client.post(f"/api/v1/interviews/{iid}/undo", headers=key).json() == undone.json()
        assert [a.question_id for a in store.get(iid).answers] == ["sex"]

        # A key is kept only hashed, and goes with its interview.
        with store.engine.connect() as conn:
            from sqlalchemy import text

            kept = conn.execute(text("SELECT key_hash FROM idempotency_keys")).scalars().all()
        assert kept and all(len(k) == 64 and "answer-" not in k for k in kept)
        assert client.delete(f"/api/v1/interviews/{iid}").status_code == 204
        with store.engine.connect() as conn:
            left = conn.execute(
                text("SELECT count(*) FROM idempotency_keys WHERE interview_id = :i"), {"i": iid}
            ).scalar()
        assert left == 0
    finally:
        store.close()


def test_a_retry_without_key_or_step_does_not_record_the_answer_twice(
    client: httpx.Client, db_url: str
) -> None:
    iid = _started_with_one_answer(client)
    body = {"question_id": "sex", "value": "female"}
    first = client.post(f"/api/v1/interviews/{iid}/answers", json=body)
    again = client.post(f"/api/v1/interviews/{iid}/answers", json=body)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    store = Store(db_url, migrate=False)
    try:
        assert [a.question_id for a in store.get(iid).answers] == ["age", "sex"]
    finally:
        store.close()


def test_a_bad_idempotency_key_is_refused(client: httpx.Client) -> None:
    r = client.post("/api/v1/interviews", headers={"Idempotency-Key": "short"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
