"""The result speaks of one level (issue 10): the emergency page has one action (the
call link, the number from configuration) and what to do while waiting; no result
carries a lower level's words; causes are shown in whole percent with "Something
else"; advice fits the person; every page, error pages included, has the banner."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from legpain import Interview
from legpain.engine import default_engine
from legpain.engine.advice import ADVICE_THRESHOLD, fits_level
from legpain.web import Settings
from legpain.web._view import result_view
from live_server import fresh_database_url, serve
from result_checks import LOWER_THAN_EMERGENCY, pdf_pages_and_bars


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = fresh_database_url("sqlite", tmp_path_factory.mktemp("result"))
    settings = Settings(database_url=url, rate_limit_per_minute=0, emergency_number="112")
    with serve(settings) as base:
        yield base


@pytest.fixture
def client(site: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=60) as c:
        yield c


def _value(q: dict[str, Any], policy: dict[str, Any]) -> Any:
    if q["id"] in policy:
        return policy[q["id"]]
    if q["type"] == "group":
        return []
    if q["type"] == "boolean":
        return False
    if q["type"] == "number":
        return 60 if q["id"] == "age" else 4
    return q["choices"][0]


def complete(
    client: httpx.Client, answers: dict[str, Any], policy: dict[str, Any] | None = None
) -> str:
    """An interview through the JSON API, answering "no" (or the first choice)."""
    r = client.post("/api/v1/interviews", json={"answers": answers})
    assert r.status_code == 201, r.text
    iid: str = r.json()["id"]
    for _ in range(40):
        q = client.get(f"/api/v1/interviews/{iid}/next").json()["question"]
        if q is None:
            return iid
        r = client.post(
            f"/api/v1/interviews/{iid}/answers",
            json={"question_id": q["id"], "value": _value(q, policy or {})},
        )
        assert r.status_code == 200, r.text
    raise AssertionError("the interview did not end")


def page_text(html: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).lower()


def test_emergency_page_has_one_action_and_no_lower_level(client: httpx.Client) -> None:
    iid = complete(client, {"chest_pain": True, "age": 55, "sex": "female"})
    html = client.get(f"/i/{iid}/result").text
    call = html.index('href="tel:112"', html.index("<main"))
    assert call < html.index("result.pdf"), "the call link comes before the PDF"
    assert 'class="button primary" href="/i/' not in html, "the PDF is not the main button"
    assert "While you wait" in html
    assert "Sit upright" in html  # from emergency.yaml, for a suspected clot in the lungs
    text = page_text(html)
    found = [w for w in LOWER_THAN_EMERGENCY if re.search(w, text)]
    assert not found, f"lower-level words on an emergency page: {found}"


def test_every_page_carries_the_banner_with_the_configured_number(client: httpx.Client) -> None:
    for path in ("/", "/i/nosuchassessment00/result", "/no/such/page"):
        html = client.get(path).text
        assert "chest pain" in html.lower(), path
        if path != "/":
            assert 'href="tel:112"' in html, path


def test_error_pages_429_and_500_carry_the_banner() -> None:
    from legpain.web._pages import templates

    for status in (429, 500):
        html = templates.get_template("error.html").render(
            {"status": status, "message": "m", "request": None}
        )
        assert "Chest pain, breathlessness, or a cold, pale leg?" in html
        assert 'href="tel:999"' in html  # the default number outside an app


def test_causes_in_whole_percent_with_something_else(client: httpx.Client) -> None:
    iid = complete(client, {"age": 62, "swelling_one_leg": True, "calf_tenderness": True})
    result = client.get(f"/api/v1/interviews/{iid}/result").json()["result"]
    html = client.get(f"/i/{iid}/result").text
    shown = re.findall(r'class="cause-percent">([^<]+)<', html)
    assert 1 <= len(shown) <= 4
    assert all(re.fullmatch(r"\d{1,2}%|under 1%|over 99%", s) for s in shown), shown
    assert "0%" not in shown
    probs = [c["probability"] for c in result["conditions"] if c["probability"] >= 0.02][:3]
    rest = 1 - sum(probs)
    assert ("Something else" in html) == (rest >= 0.05)
    total = sum(int(s.rstrip("%")) for s in shown if s[0].isdigit())
    assert abs(total - 100) <= 5 or rest < 0.05


def test_pdf_dated_short_and_bars_to_scale(client: httpx.Client, tmp_path: Path) -> None:
    iid = complete(client, {"age": 62, "swelling_one_leg": True, "calf_tenderness": True})
    result = client.get(f"/api/v1/interviews/{iid}/result").json()["result"]
    pdf = client.get(f"/i/{iid}/result.pdf").content
    assert pdf.startswith(b"%PDF")
    pages, bars = pdf_pages_and_bars(pdf)
    assert 1 <= pages <= 3, f"{pages} pages"
    probs = [c["probability"] for c in result["conditions"] if c["probability"] >= 0.02][:3]
    assert len(bars) >= len(probs)
    for (fill, track), p in zip(bars, probs, strict=False):
        assert abs(fill / track - p) <= 0.006, (fill, track, p)


def _assess(known: dict[str, Any], policy: dict[str, Any] | None = None) -> Any:
    iv = Interview(dict(known))
    for _ in range(40):
        q = iv.next_question()
        if q is None:
            break
        iv.answer(q.id, _value(q.to_dict(), policy or {}))
    result = iv.result()
    return result, result_view(default_engine(), result.to_dict(), iv.known)


def _texts(view: Any) -> str:
    parts = [view.first_step or ""] + [s["text"] for s in view.steps]
    for items in view.advice.values():
        parts += [a["text"] for a in items]
    return " ".join(parts).lower()


def test_advice_fits_the_person() -> None:
    _, child = _assess({"age": 7})
    text = _texts(child)
    assert "drive" not in text
    assert "around your bottom" not in text  # cauda equina is for adults
    assert "statin" not in text
    _, pregnant = _assess({"age": 31, "sex": "female", "pregnant": True})
    watch = " ".join(a["text"] for a in pregnant.advice["watch_for"]).lower()
    assert "statin" not in watch  # no statin warning in pregnancy


def test_advice_only_from_causes_at_ten_percent() -> None:
    kb = default_engine().kb
    result, _ = _assess({"age": 45})
    advised = {c.id for c in result.conditions[:3] if c.probability >= ADVICE_THRESHOLD}
    suspects = {r.suspect for r in result.triage.rules if r.suspect}
    for item in result.advice.items:
        a = next(x for x in kb.advice if x.id == item.id)
        assert "any" in a.conditions or set(a.conditions) & (advised | suspects), item.id
        assert fits_level(a, result.level)


def test_unsure_result_says_first_what_to_do_if_the_sign_is_there(client: httpx.Client) -> None:
    iid = complete(client, {"age": 70}, {"screen_emergency": "unknown"})
    html = client.get(f"/i/{iid}/result").text
    result = client.get(f"/api/v1/interviews/{iid}/result").json()["result"]
    assert result["triage"] in ("urgent", "emergency")
    box = html[html.index('class="triage') :]
    assert box.index('class="unsure"') < box.index('class="triage-action"')


def test_every_emergency_suspect_has_its_own_while_waiting_steps() -> None:
    kb = default_engine().kb
    suspects = {r.suspect for r in kb.triage_rules if r.level == "emergency" and r.suspect}
    own = {c for e in kb.emergency for c in e.suspects}
    assert suspects <= own, suspects - own
    assert any("any" in e.suspects for e in kb.emergency)


def test_emergency_number_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from legpain.web._settings import EmergencyNumber, emergency_number_from_env

    monkeypatch.setenv("LEGPAIN_EMERGENCY_NUMBER", ' 112"><script> ')
    assert emergency_number_from_env() == "112"
    monkeypatch.setenv("LEGPAIN_EMERGENCY_NUMBER", "")
    assert emergency_number_from_env() == "999"
    assert EmergencyNumber("999").others_short == "112 or 911"
    assert EmergencyNumber("911").others is None
