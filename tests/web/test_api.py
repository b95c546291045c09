"""The JSON API over real HTTP, on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx

import legpain

PROBLEM = "application/problem+json"


def _answer_for(q: dict[str, Any]) -> Any:
    if q["type"] == "group":
        return []
    if q["type"] == "boolean":
        return False
    if q["type"] == "number":
        return 45 if q["id"] == "age" else (q.get("minimum") or 0)
    return q["choices"][0]


def _finish(
    client: httpx.Client, iid: str, state: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    given: list[tuple[str, Any]] = []
    while not state["complete"]:
        q = state["next_question"]
        value = _answer_for(q)
        r = client.post(
            f"/api/v1/interviews/{iid}/answers", json={"question_id": q["id"], "value": value}
        )
        assert r.status_code == 200, r.text
        given.append((q["id"], value))
        state = r.json()
        assert state["answers_stored"] == len(given)
    return state, given


def test_a_whole_interview_matches_the_python_api(client: httpx.Client) -> None:
    r = client.post("/api/v1/interviews", json={"answers": {"age": 58, "sex": "male"}})
    assert r.status_code == 201
    assert r.headers["location"] == f"/api/v1/interviews/{r.json()['id']}"
    state = r.json()
    iid = state["id"]
    assert state["next_question"]["kind"] == "screen"  # age and sex were given
    assert state["next_question"]["items"]
    state, given = _finish(client, iid, state)
    assert state["next_question"] is None

    local = legpain.Interview(answers={"age": 58, "sex": "male"})
    for qid, value in given:
        assert local.next_question().id == qid  # type: ignore[union-attr]
        local.answer(qid, value)
    assert local.next_question() is None

    result = client.get(f"/api/v1/interviews/{iid}/result").json()
    assert result["complete"] is True
    expected = local.result().to_dict()
    assert result["result"]["triage"] == expected["triage"]
    assert [c["id"] for c in result["result"]["conditions"]] == [
        c["id"] for c in expected["conditions"]
    ]

    nxt = client.get(f"/api/v1/interviews/{iid}/next").json()
    assert nxt == {"complete": True, "questions_asked": len(given), "question": None}


def test_undo_and_change_an_answer(client: httpx.Client) -> None:
    iid = client.post("/api/v1/interviews").json()["id"]
    r = client.post(f"/api/v1/interviews/{iid}/answers", json={"question_id": "age", "value": 30})
    assert r.json()["known"] == {"age": 30}
    assert r.json()["next_question"]["id"] == "screen_emergency"  # asked before anything else
    r = client.post(f"/api/v1/interviews/{iid}/undo")
    assert r.status_code == 200
    assert r.json()["next_question"]["id"] == "screen_emergency"
    assert r.json()["known"] == {}
    r = client.post(f"/api/v1/interviews/{iid}/undo")
    assert r.status_code == 409
    assert r.headers["content-type"] == PROBLEM
    client.post(f"/api/v1/interviews/{iid}/answers", json={"question_id": "age", "value": 30})
    # Answering an earlier question again changes it.
    r = client.post(f"/api/v1/interviews/{iid}/answers", json={"question_id": "age", "value": 71})
    assert r.json()["known"]["age"] == 71
    assert r.json()["answers_stored"] == 2
    again = client.get(f"/api/v1/interviews/{iid}").json()
    assert again["known"] == {"age": 71}


def test_grouped_question_takes_the_items_that_apply(client: httpx.Client) -> None:
    iid = client.post(
        "/api/v1/interviews", json={"answers": {"age": 50, "sex": "female", "pregnant": False}}
    ).json()["id"]
    q = client.get(f"/api/v1/interviews/{iid}/next").json()["question"]
    assert q["type"] == "group"
    first = q["items"][0]["id"]
    r = client.post(
        f"/api/v1/interviews/{iid}/answers", json={"question_id": q["id"], "value": [first]}
    )
    assert r.status_code == 200
    known = r.json()["known"]
    assert known[first] is True
    assert all(known[i["id"]] is False for i in q["items"][1:])
    bad = client.post(
        f"/api/v1/interviews/{iid}/answers", json={"question_id": q["id"], "value": ["not_an_item"]}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "value"


def test_errors_are_problem_documents_naming_the_field(client: httpx.Client) -> None:
    r = client.post(
        "/api/v1/interviews", json={"answers": {"age": "old", "favourite_colour": "blue"}}
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == 422
    fields = {e["field"]: e["detail"] for e in body["errors"]}
    assert "number" in fields["answers.age"]
    assert "favourite_colour" in fields["answers.favourite_colour"]

    iid = client.post("/api/v1/interviews").json()["id"]
    r = client.post(f"/api/v1/interviews/{iid}/answers", json={"question_id": "age", "value": 500})
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "value", "detail": "age: expected a number from 0 to 120 or unknown, got 500"}
    ]
    r = client.post(
        f"/api/v1/interviews/{iid}/answers", json={"question_id": "nope", "value": True}
    )
    assert r.json()["errors"][0]["field"] == "question_id"
    r = client.post(f"/api/v1/interviews/{iid}/answers", json={"question_id": "age"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "value"
    r = client.post(
        f"/api/v1/interviews/{iid}/answers", json={"question_id": "age", "value": {"a": 1}}
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "value",
            "detail": "Value error, expected true/false, a number, a choice, 'unknown', or a list of item ids",
        }
    ]
    r = client.post(
        f"/api/v1/interviews/{iid}/answers",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert (
        client.get(f"/api/v1/interviews/{iid}").json()["answers_stored"] == 0
    )  # nothing half-saved


def test_unknown_and_deleted_interviews_are_404(client: httpx.Client) -> None:
    r = client.get("/api/v1/interviews/" + "A" * 22)
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    iid = client.post("/api/v1/interviews", json={"answers": {"age": 40}}).json()["id"]
    client.post(f"/api/v1/interviews/{iid}/answers", json={"question_id": "sex", "value": "male"})
    assert client.delete(f"/api/v1/interviews/{iid}").status_code == 204
    for path in ("", "/next", "/result"):
        assert client.get(f"/api/v1/interviews/{iid}{path}").status_code == 404
    assert client.delete(f"/api/v1/interviews/{iid}").status_code == 404
    assert (
        client.post(
            f"/api/v1/interviews/{iid}/answers", json={"question_id": "age", "value": 3}
        ).status_code
        == 404
    )


def test_stateless_assess_returns_the_case_format(client: httpx.Client) -> None:
    answers = {"age": 67, "smoker": True, "pain_foot_toes": True, "relieved_by_dangling_leg": True}
    r = client.post("/api/v1/assess", json={"answers": answers, "case": "example-001"})
    assert r.status_code == 200
    body = r.json()
    assert body == legpain.assess(answers, case="example-001").to_dict()
    assert {"case", "conditions", "triage", "red_flags", "contributors"} <= body.keys()
    r = client.post("/api/v1/assess", json={"answers": {"age": -5}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "answers.age"
    assert client.post("/api/v1/assess", json={}).json()["errors"][0]["field"] == "answers"


def test_vocabulary_lists_every_finding_and_condition(client: httpx.Client) -> None:
    body = client.get("/api/v1/vocabulary").json()
    kb = legpain.load_knowledge()
    assert [f["id"] for f in body["findings"]] == list(kb.findings)
    assert [c["id"] for c in body["conditions"]] == list(kb.conditions)
    assert body["triage_levels"] == ["self_care", "routine", "urgent", "emergency"]


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/interviews/{interview_id}/answers" in schema["paths"]
    assert "Problem" in schema["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "<script>" not in docs.text  # no inline script, even on /docs
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_parse_reads_text_and_its_prefill_starts_an_interview(client: httpx.Client) -> None:
    text = "I'm 58. My left calf is swollen and hot, no chest pain. My mother had clots."
    r = client.post("/api/v1/parse", json={"text": text})
    assert r.status_code == 200, r.text
    parsed = r.json()
    assert parsed["answers"]["swelling_one_leg"] is True
    assert parsed["answers"]["chest_pain"] is False
    assert "chest_pain" not in parsed["prefill"]  # a denied warning sign is asked again
    assert all(e["text"] in text for e in parsed["evidence"])
    r = client.post("/api/v1/interviews", json={"answers": parsed["prefill"]})
    assert r.status_code == 201, r.text
    assert any(i["id"] == "chest_pain" for i in r.json()["next_question"]["items"])


def test_parse_rejects_what_is_not_text_and_names_the_field(client: httpx.Client) -> None:
    for body in ({"text": 12}, {"words": "calf"}, {"text": "x" * 5000}):
        r = client.post("/api/v1/parse", json=body)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith(PROBLEM)
