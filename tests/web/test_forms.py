"""Forms that forgive, through plain HTML forms (no JavaScript): who it is for, "None of
these", Back that restores, a stale tab that says so, plain errors, long text refused,
and an emergency read from text that asks "Is this happening now?"."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator

import httpx
import pytest

from legpain.web import Settings
from live_server import fresh_database_url, serve

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = fresh_database_url("sqlite", tmp_path_factory.mktemp("forms"))
    with serve(Settings(database_url=url, rate_limit_per_minute=0)) as base:
        yield base


@pytest.fixture
def client(site: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=30, follow_redirects=False) as c:
        yield c


def _token(client: httpx.Client) -> str:
    m = CSRF.search(client.get("/").text)
    assert m
    return m.group(1)


def _field(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, f"no field {name}"
    return m.group(1)


def _start(client: httpx.Client, respondent: str = "self") -> tuple[str, str]:
    token = _token(client)
    r = client.post("/start", data={"csrf_token": token, "respondent": respondent})
    assert r.status_code == 303
    return r.headers["location"], token


def _form(html: str, token: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "step": _field(html, "step"),
        "question_id": _field(html, "question_id"),
        **extra,
    }


def test_who_it_is_for_words_the_questions_and_is_stored(client: httpx.Client) -> None:
    start = client.get("/").text
    assert "Who is this for?" in start and 'value="child"' in start
    page, token = _start(client, "child")
    html = client.get(page).text
    assert "Do any of these apply to your child now?" in html
    assert "Does your child have chest pain?" in html
    assert "You are answering for your child." in html
    client.post(f"{page}/answer", data=_form(html, token, value="none"))
    assert "How old is your child?" in client.get(page).text
    state = client.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()
    assert state["respondent"] == "child"
    assert "respondent" not in state["known"]
    result = client.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}/result").json()
    assert result["result"]["respondent"] == "child"


def test_the_api_takes_the_respondent(client: httpx.Client) -> None:
    r = client.post("/api/v1/interviews", json={"respondent": "other", "answers": {}})
    assert r.status_code == 201
    assert r.json()["next_question"]["text"] == "Do any of these apply to the person now?"
    assert client.post("/api/v1/interviews", json={"respondent": "dog"}).status_code == 422


def test_none_of_these_is_a_choice_and_nothing_ticked_is_not(client: httpx.Client) -> None:
    page, token = _start(client)
    html = client.get(page).text
    assert ">None of these</button>" in html
    r = client.post(f"{page}/answer", data=_form(html, token, value="items"))
    assert r.status_code == 422
    assert "Nothing is ticked" in r.text and "None of these" in r.text
    assert 'id="answer-error"' in r.text and "autofocus" in r.text
    r = client.post(f"{page}/answer", data=_form(html, token, value="none"))
    assert r.status_code == 303
    state = client.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()
    assert state["known"]["chest_pain"] is False


def test_back_restores_the_answer_it_takes_back(client: httpx.Client) -> None:
    page, token = _start(client)
    screen = client.get(page).text
    client.post(f"{page}/answer", data=_form(screen, token, value="items", items="chest_pain"))
    # chest pain ends the interview: go back and the tick is there again
    r = client.get(f"{page}/result")
    assert r.status_code == 200
    back = client.post(f"{page}/back", data={"csrf_token": token, "step": "1"})
    assert back.status_code == 303 and "legpain_back" in back.headers.get("set-cookie", "")
    again = client.get(page).text
    assert re.search(r'value="chest_pain" id="item-chest_pain"\s+checked', again)
    assert "ticks from last time" in again
    client.post(f"{page}/answer", data=_form(again, token, value="none"))
    age = client.get(page).text
    client.post(f"{page}/answer", data=_form(age, token, value="number", number="42"))
    sex = client.get(page).text
    client.post(f"{page}/back", data={"csrf_token": token, "step": _field(sex, "step")})
    refilled = client.get(page).text
    assert "How old are you?" in refilled
    assert 'value="42"' in refilled
    assert 'value="42"' not in client.get(page).text  # shown once, then forgotten


def test_a_stale_tab_says_what_happened(client: httpx.Client) -> None:
    page, token = _start(client)
    screen = client.get(page).text
    form = _form(screen, token, value="none")
    assert client.post(f"{page}/answer", data=form).status_code == 303
    twice = client.post(f"{page}/answer", data=form)  # a double submit: already saved
    assert twice.headers["location"] == page
    other = client.post(f"{page}/answer", data=form | {"value": "unknown"})  # an old tab
    assert other.headers["location"] == f"{page}?notice=answered"
    shown = client.get(other.headers["location"]).text
    assert "out of date" in shown and "nothing was changed" in shown
    state = client.get(f"/api/v1/interviews/{page.rsplit('/', 1)[1]}").json()
    assert state["answers_stored"] == 1 and state["known"]["chest_pain"] is False
    stale_back = client.post(f"{page}/back", data={"csrf_token": token, "step": "0"})
    assert stale_back.headers["location"] == f"{page}?notice=changed"


@pytest.mark.parametrize("typed", ["inf", "1e999", "nan", "-5", "500", "two"])
def test_number_errors_are_in_plain_words(client: httpx.Client, typed: str) -> None:
    page, token = _start(client)
    client.post(f"{page}/answer", data=_form(client.get(page).text, token, value="none"))
    html = client.get(page).text
    r = client.post(f"{page}/answer", data=_form(html, token, value="number", number=typed))
    assert r.status_code == 422
    message = re.search(r'id="answer-error"[^>]*>([^<]+)<', r.text)
    assert message, r.text
    text = htmllib.unescape(message.group(1))
    assert text.startswith("Type a number from 0 to 120 (years)"), text
    assert "got" not in text and "inf" not in text and "expected" not in text
    assert 'aria-describedby="answer-error"' in r.text and 'aria-invalid="true"' in r.text


def test_over_long_text_is_refused_whole_with_how_much_over(client: httpx.Client) -> None:
    token = _token(client)
    text = "my calf hurts at night " * 435  # 10,005 characters
    r = client.post("/describe", data={"csrf_token": token, "text": text})
    assert r.status_code == 400
    assert "6,00" in r.text and "4,000" in r.text
    box = re.search(r"<textarea[^>]*>([^<]*)</textarea>", r.text)
    assert box and len(htmllib.unescape(box.group(1))) == len(text.strip())
    assert re.search(r"<textarea[^>]*autofocus", r.text)
    assert 'maxlength="4000"' not in r.text  # the browser must not cut it silently either
    empty = client.post("/describe", data={"csrf_token": token, "text": " "})
    assert empty.status_code == 400
    assert re.search(r'aria-describedby="text-error', empty.text)


def _chips(html: str) -> list[str]:
    return [htmllib.unescape(c) for c in re.findall(r'name="answer" value="([^"]+)"', html)]


def test_an_emergency_in_the_text_asks_is_this_happening_now(client: httpx.Client) -> None:
    token = _token(client)
    text = "I have chest pain and I am short of breath, and my calf is swollen."
    r = client.post("/describe", data={"csrf_token": token, "text": text})
    assert r.status_code == 200
    assert "Is this happening now?" in r.text
    assert "Continue to the questions" not in r.text
    chips = _chips(r.text)
    assert any(c.startswith("chest_pain=") for c in chips), chips
    yes = client.post("/start", data={"csrf_token": token, "answer": chips, "now": "yes"})
    page = yes.headers["location"]
    assert client.get(page).headers["location"] == f"{page}/result"
    result = client.get(f"{page}/result")
    assert result.status_code == 200 and "triage-emergency" in result.text
    no = client.post("/start", data={"csrf_token": token, "answer": chips, "now": "no"})
    page = no.headers["location"]
    screen = client.get(page).text
    assert "Do you have chest pain?" in screen  # asked again on the emergency screen


def test_a_text_about_my_son_sets_the_child_choice_to_confirm(client: httpx.Client) -> None:
    token = _token(client)
    text = "My 7 year old son wakes at night with aching legs."
    r = client.post("/describe", data={"csrf_token": token, "text": text})
    assert r.status_code == 200
    assert re.search(r'value="child" id="who-child" checked', r.text)
    assert "Is this happening now?" not in r.text
    mine = client.post("/describe", data={"csrf_token": token, "text": "My calves ache at night."})
    assert re.search(r'value="self" id="who-self" checked', mine.text)
