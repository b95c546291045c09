"""The pages work as plain HTML forms (no JavaScript), and the hardening holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from legpain.web import Settings
from live_server import fresh_database_url, serve

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = fresh_database_url("sqlite", tmp_path_factory.mktemp("pages"))
    with serve(Settings(database_url=url, rate_limit_per_minute=30, max_body_bytes=4096)) as base:
        yield base


@pytest.fixture
def browser(site: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=30, follow_redirects=False) as c:
        yield c


def _field(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, f"no field {name}"
    return m.group(1)


def _start(browser: httpx.Client) -> tuple[str, str]:
    page = browser.get("/")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    r = browser.post("/start", data={"csrf_token": token})
    assert r.status_code == 303
    return r.headers["location"], token


def _answer_form(html: str, token: str) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "step": _field(html, "step"),
        "question_id": _field(html, "question_id"),
    }
    if 'name="number"' in html:
        top = re.search(r'class="number-input"[^>]*?max="([0-9.]+)"', html, re.S)
        data |= {"value": "number", "number": str(min(62.0, float(top.group(1)) if top else 62.0))}
    elif 'name="items"' in html:
        data |= {"value": "none"}  # "None of these": an explicit choice
    else:
        data["value"] = "unknown" if "Yes</button>" in html else _field(html, "value")
    return data


def test_start_page_says_what_it_is_and_when_to_call_emergency_services(
    browser: httpx.Client,
) -> None:
    html = browser.get("/").text
    assert "chest pain" in html.lower()
    assert "cold, pale" in html or "cold, pale, numb" in html
    assert "Call emergency services now" in html
    assert "not a diagnosis" in html.lower()
    assert '<form method="post" action="/start"' in html


def test_an_assessment_through_plain_forms(browser: httpx.Client) -> None:
    page, token = _start(browser)
    answered = 0
    while True:
        r = browser.get(page)
        if r.status_code == 303:
            assert r.headers["location"] == f"{page}/result"
            break
        assert r.status_code == 200
        assert "Why we ask this" in r.text
        assert "Don't know" in r.text
        data = _answer_form(r.text, token)
        r = browser.post(f"{page}/answer", data=data)
        assert r.status_code == 303
        # The same form again (a double submit) changes nothing.
        again = browser.post(f"{page}/answer", data=data)
        assert again.status_code == 303
        answered += 1
    result = browser.get(f"{page}/result")
    assert result.status_code == 200
    assert 'class="triage triage-' in result.text
    assert "Possible causes" in result.text
    assert "Sources" in result.text
    api = browser.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()
    assert api["answers_stored"] == answered
    assert api["complete"] is True

    pdf = browser.get(f"{page}/result.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_bad_number_is_explained_and_nothing_is_saved(browser: httpx.Client) -> None:
    page, token = _start(browser)
    screen = browser.get(page).text  # the emergency screen comes first: none of these
    assert browser.post(f"{page}/answer", data=_answer_form(screen, token)).status_code == 303
    html = browser.get(page).text
    assert "How old are you?" in html
    data = _answer_form(html, token) | {"number": "two hundred"}
    r = browser.post(f"{page}/answer", data=data)
    assert r.status_code == 422
    assert 'role="alert"' in r.text
    assert "Type a number" in r.text
    r = browser.post(f"{page}/answer", data=data | {"number": "500"})
    assert r.status_code == 422
    assert "from 0 to 120" in r.text
    assert browser.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()["answers_stored"] == 1


def test_back_takes_the_last_answer_back(browser: httpx.Client) -> None:
    page, token = _start(browser)
    first = browser.get(page).text
    browser.post(f"{page}/answer", data=_answer_form(first, token))
    second = browser.get(page).text
    assert _field(second, "question_id") != _field(first, "question_id")
    r = browser.post(f"{page}/back", data={"csrf_token": token, "step": _field(second, "step")})
    assert r.status_code == 303
    assert _field(browser.get(page).text, "question_id") == _field(first, "question_id")


def test_forms_need_the_csrf_token(browser: httpx.Client, site: str) -> None:
    page, token = _start(browser)
    html = browser.get(page).text
    data = _answer_form(html, token)
    assert browser.post(f"{page}/answer", data=data | {"csrf_token": "x" * 43}).status_code == 403
    with httpx.Client(base_url=site) as stranger:  # no cookie
        assert stranger.post(f"{page}/answer", data=data).status_code == 403
        assert stranger.post(f"{page}/delete", data={"csrf_token": token}).status_code == 403
    cross = browser.post(f"{page}/answer", data=data, headers={"origin": "https://evil.example"})
    assert cross.status_code == 403
    assert browser.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()["answers_stored"] == 0


def test_delete_really_deletes(browser: httpx.Client) -> None:
    page, token = _start(browser)
    assert "Delete my answers" in browser.get(f"{page}/delete").text
    r = browser.post(f"{page}/delete", data={"csrf_token": token})
    assert r.status_code == 200
    assert "deleted" in r.text
    assert browser.get(page).status_code == 404
    assert browser.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").status_code == 404


def test_resume_by_link_or_code(browser: httpx.Client, site: str) -> None:
    page, _ = _start(browser)
    code = page.rsplit("/", 1)[1]
    for typed in (code, f"{site}{page}", f" {site}{page}/result "):
        r = browser.get("/resume", params={"code": typed})
        assert r.status_code == 303
        assert r.headers["location"] == page
    assert browser.get("/resume", params={"code": "??"}).status_code == 400


def test_security_headers_on_every_response(browser: httpx.Client) -> None:
    for path in ("/", "/api/v1/vocabulary", "/static/app.css", "/nope", "/docs"):
        r = browser.get(path)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-content-type-options"] == "nosniff"
    html = browser.get("/").text
    assert "<script" not in html
    assert " style=" not in html


def test_pages_have_no_inline_script_or_style() -> None:
    templates = Path(__file__).resolve().parents[2] / "src" / "legpain" / "web" / "templates"
    for t in templates.glob("*.html"):
        text = t.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), t.name
        assert " style=" not in text and "<style" not in text, t.name


def test_request_size_limit(browser: httpx.Client) -> None:
    big = {"answers": {"age": 40}, "case": "x" * 10_000}
    r = browser.post("/api/v1/assess", json=big)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"

    def chunks() -> Iterator[bytes]:  # no content-length: counted as it arrives
        yield b'{"answers": {"age": 40}, "case": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    r = browser.post(
        "/api/v1/assess", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413


def test_api_rate_limit_per_client(tmp_path: Path) -> None:
    # A server of its own: other tests' API calls must not have spent the bucket.
    url = fresh_database_url("sqlite", tmp_path)
    with serve(Settings(database_url=url, rate_limit_per_minute=30)) as site:
        with httpx.Client(base_url=site) as c:
            statuses = [c.get("/api/v1/vocabulary").status_code for _ in range(40)]
        assert statuses[0] == 200
        assert 429 in statuses
        limited = statuses.index(429)
        assert 10 <= limited <= 20  # a burst of half the per-minute limit (30) passes
        with httpx.Client(base_url=site) as c:
            r = c.get("/api/v1/vocabulary")
            assert r.status_code == 429
            assert int(r.headers["retry-after"]) >= 1
            assert r.headers["content-type"] == "application/problem+json"
            assert c.get("/").status_code == 200  # pages are not API requests


def test_describe_shows_chips_that_can_be_corrected_before_the_questions(
    browser: httpx.Client,
) -> None:
    page = browser.get("/")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    text = "I'm 67. My left calf is swollen and warm since Tuesday, no chest pain."
    r = browser.post("/describe", data={"csrf_token": token, "text": text})
    assert r.status_code == 200
    chips = re.findall(r'name="answer" value="([^"]+)"', r.text)
    fields = [c.replace("&#34;", '"').replace("&quot;", '"') for c in chips]
    assert any(f.startswith("swelling_one_leg=") for f in fields), fields
    assert not any(f.startswith("chest_pain=") for f in fields)  # asked again, not pre-filled
    assert "still ask" in r.text
    # Drop the side chip (as a person would if it were wrong), keep the others.
    kept = [f for f in fields if not f.startswith("side=")]
    r = browser.post("/start", data={"csrf_token": token, "answer": kept})
    assert r.status_code == 303
    page = r.headers["location"]
    screen = browser.get(page).text  # the emergency screen first, chest pain asked again
    assert "Do you have chest pain?" in screen
    assert browser.post(f"{page}/answer", data=_answer_form(screen, token)).status_code == 303
    question = browser.get(page).text
    assert "How old are you?" not in question  # the age chip was kept
    assert "What sex were you assigned at birth?" in question  # not in the text: asked


def test_an_unsure_reading_is_a_please_check_chip_and_is_still_asked(
    browser: httpx.Client,
) -> None:
    page = browser.get("/")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    # "all of a sudden" with "for months": the two readings conflict.
    text = "I'm 50. My left leg pain started all of a sudden but I've had it for months."
    r = browser.post("/describe", data={"csrf_token": token, "text": text})
    assert r.status_code == 200
    assert "please check" in r.text
    suggest = re.findall(r'name="suggest" value="([^"]+)"', r.text)
    assert suggest, "the unsure reading travels as a suggestion, not as an answer"
    fields = [c.replace("&#34;", '"').replace("&quot;", '"') for c in suggest]
    answers = re.findall(r'name="answer" value="([^"]+)"', r.text)
    kept = [c.replace("&#34;", '"').replace("&quot;", '"') for c in answers]
    r = browser.post("/start", data={"csrf_token": token, "answer": kept, "suggest": fields})
    assert r.status_code == 303
    iid = r.headers["location"].rsplit("/", 1)[1]
    known = browser.get(f"/api/v1/interviews/{iid}").json()["known"]
    for f in fields:
        assert f.split("=", 1)[0] not in known  # not taken as answered: it will be asked


def test_describe_needs_text_and_a_valid_form(browser: httpx.Client) -> None:
    page = browser.get("/")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    r = browser.post("/describe", data={"csrf_token": token, "text": "   "})
    assert r.status_code == 400 and "Type a few words" in r.text
    r = browser.post("/describe", data={"csrf_token": "forged", "text": "my calf hurts"})
    assert r.status_code == 403
    r = browser.post("/start", data={"csrf_token": token, "answer": ['age="old"']})
    assert r.status_code == 422 and "age" in r.text


STALE_NOTICE = "this question was already answered in another tab or window"


def test_an_answer_from_a_stale_tab_says_what_happened(browser: httpx.Client) -> None:
    page, token = _start(browser)
    shown = browser.get(page).text  # the first question, open in two tabs
    in_tab_a = _answer_form(shown, token)
    in_tab_b = dict(in_tab_a)
    r = browser.post(f"{page}/answer", data=in_tab_a)
    assert r.status_code == 303
    assert r.headers["location"] == page
    after_a = browser.get(page).text
    assert STALE_NOTICE not in after_a

    # The same form sent again (a double submit) is the same answer: nothing to say.
    r = browser.post(f"{page}/answer", data=in_tab_a)
    assert r.status_code == 303
    assert r.headers["location"] == page

    # The other tab answers the same question differently: not recorded, and said so.
    in_tab_b["value"] = "unknown"
    in_tab_b.pop("number", None)
    r = browser.post(f"{page}/answer", data=in_tab_b)
    assert r.status_code == 303
    assert r.headers["location"] == f"{page}?notice=answered"
    told = browser.get(r.headers["location"])
    assert told.status_code == 200
    assert STALE_NOTICE in told.text
    assert "here is where you are now" in told.text
    assert 'role="status"' in told.text
    # ... and it shows the question the interview is at now, with a fresh step.
    assert _field(told.text, "step") == _field(after_a, "step") != in_tab_a["step"]
    assert _field(told.text, "question_id") == _field(after_a, "question_id")
    api = browser.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()
    assert api["answers_stored"] == 1  # one answer, from tab A

    # Back from a stale tab takes nothing back, and says so too.
    r = browser.post(f"{page}/back", data={"csrf_token": token, "step": in_tab_a["step"]})
    assert r.headers["location"] == f"{page}?notice=changed"
    assert "already changed in another tab" in browser.get(r.headers["location"]).text
    assert browser.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()["answers_stored"] == 1


def test_a_stale_form_after_undo_and_a_new_answer_is_not_taken_for_the_new_step(
    browser: httpx.Client,
) -> None:
    # Answer, Back, answer again: the answer count is where it was, the step is not, so
    # a form from before is still seen as stale.
    page, token = _start(browser)
    first = browser.get(page).text
    old_form = _answer_form(first, token)
    browser.post(f"{page}/answer", data=old_form)
    second = browser.get(page).text
    browser.post(f"{page}/back", data={"csrf_token": token, "step": _field(second, "step")})
    browser.post(f"{page}/answer", data=_answer_form(browser.get(page).text, token))
    r = browser.post(f"{page}/answer", data=old_form)  # from two steps back: stale
    assert r.headers["location"] == f"{page}?notice=answered"
    assert browser.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()["answers_stored"] == 1
