"""The condition library and the FHIR routes, on a live server (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from legpain.engine import default_engine
from legpain.export.codes import PUBLIC_BASE_URL_ENV
from legpain.library import condition_page

FHIR_JSON = "application/fhir+json"


def test_library_lists_every_condition_by_group(client: httpx.Client) -> None:
    kb = default_engine().kb
    page = client.get("/conditions")
    assert page.status_code == 200
    assert page.text.count("<h1") == 1
    linked = set(re.findall(r'href="/conditions/([a-z_]+)"', page.text))
    assert linked == set(kb.conditions)
    for title in (
        "Circulation",
        "Nerves and spine",
        "Muscles and joints",
        "Bones",
        "Children",
        "Medicines and body chemistry",
        "Skin and veins",
    ):
        assert f">{title}</h2>" in page.text


def test_search_by_lay_words(client: httpx.Client) -> None:
    found = client.get("/conditions", params={"q": "an urge to move my legs in the evening"})
    assert found.status_code == 200
    first = re.search(r'<ul class="matches"><li><a href="/conditions/([a-z_]+)"', found.text)
    assert first and first.group(1) == "restless_legs_syndrome"


def test_every_condition_page_and_its_json(client: httpx.Client) -> None:
    kb = default_engine().kb
    for cid, cond in kb.conditions.items():
        html = client.get(f"/conditions/{cid}")
        assert html.status_code == 200, cid
        assert html.text.count("<h1") == 1
        assert "What you can do tonight" in html.text or not condition_page(cid, kb).tonight
        data = client.get(f"/api/v1/conditions/{cid}")
        assert data.status_code == 200
        assert data.json() == condition_page(cid, kb).to_dict()
        assert data.json()["name"] == cond.name
    assert client.get("/conditions/no_such_thing").status_code == 404
    missing = client.get("/api/v1/conditions/no_such_thing")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    groups = client.get("/api/v1/conditions").json()["groups"]
    assert sum(len(g["conditions"]) for g in groups) == len(kb.conditions)


def test_questionnaire_urls_come_from_the_setting_not_the_host(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PUBLIC_BASE_URL_ENV, "https://legpain.example.org")
    r = client.get("/fhir/Questionnaire/legpain", headers={"host": "evil.example"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(FHIR_JSON)
    q = Questionnaire.model_validate_json(r.text)
    assert q.url == "https://legpain.example.org/fhir/Questionnaire/legpain"
    assert "evil.example" not in r.text
    leaves = {i.linkId for g in q.item or [] for i in g.item or []}
    assert leaves == set(default_engine().kb.findings)


def _complete(client: httpx.Client, answers: dict[str, object]) -> str:
    made = client.post("/api/v1/interviews", json={"answers": answers})
    assert made.status_code == 201
    iid = made.json()["id"]
    state = made.json()
    while not state["complete"]:
        q = state["next_question"]
        value: object = [] if q["type"] == "group" else "unknown"
        state = client.post(
            f"/api/v1/interviews/{iid}/answers", json={"question_id": q["id"], "value": value}
        ).json()
    return str(iid)


def test_interview_bundle_validates_and_reads_back(client: httpx.Client) -> None:
    iid = _complete(
        client,
        {
            "age": 67,
            "sex": "male",
            "smoker": True,
            "pain_foot_toes": True,
            "relieved_by_dangling_leg": True,
        },
    )
    r = client.get(f"/api/v1/interviews/{iid}/fhir")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(FHIR_JSON)
    assert r.headers["cache-control"] == "no-store"
    Bundle.model_validate_json(r.text)
    download = client.get(f"/i/{iid}/fhir")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    Bundle.model_validate_json(download.text)
    result = client.get(f"/api/v1/interviews/{iid}/result").json()["result"]
    again = client.post("/api/v1/assess", json=r.json())
    assert again.status_code == 200, again.text
    assert again.json()["triage"] == result["triage"]
    assert [c["id"] for c in again.json()["conditions"]] == [c["id"] for c in result["conditions"]]
    qr = next(
        e["resource"]
        for e in r.json()["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    assert client.post("/api/v1/assess", json=qr).json()["triage"] == result["triage"]


def test_a_bad_questionnaire_response_is_a_problem(client: httpx.Client) -> None:
    bad = client.post("/api/v1/assess", json={"resourceType": "QuestionnaireResponse", "status": 3})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    unknown = client.post(
        "/api/v1/assess",
        json={
            "resourceType": "QuestionnaireResponse",
            "status": "completed",
            "item": [{"linkId": "no_such_finding", "answer": [{"valueBoolean": True}]}],
        },
    )
    assert unknown.status_code == 422
    assert "no_such_finding" in unknown.text
    assert client.get("/api/v1/interviews/nosuchinterview00/fhir").status_code == 404
