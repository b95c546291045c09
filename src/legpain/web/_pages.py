"""Server-rendered pages: plain HTML forms that work without JavaScript."""

from __future__ import annotations

import base64
import json
import math
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from legpain.engine import CaseError, default_engine
from legpain.interview import MAX_QUESTIONS, RESPONDENTS, Question
from legpain.storage import AnswerConflict, Store
from legpain.text import parse
from legpain.web import _sessions as sessions
from legpain.web._security import CSRF_FIELD, csrf_ok, csrf_token, set_csrf_cookie
from legpain.web._settings import emergency_number
from legpain.web._view import chip_answers, choice_label, result_view, understood_view

ID_PATTERN = r"[A-Za-z0-9_-]{10,32}"
_ID_IN_TEXT = re.compile(rf"(?:/i/)?({ID_PATTERN})/?(?:result)?\s*$")

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
templates.env.globals["choice_label"] = choice_label
templates.env.globals["max_questions"] = MAX_QUESTIONS
templates.env.globals["zip"] = zip
templates.env.globals["emergency_number"] = emergency_number  # every page's banner

router = APIRouter(include_in_schema=False)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


# Shown after a redirect (``?notice=...``): a fixed message, never text from the URL.
NOTICES = {
    "answered": "That page was out of date: this question was already answered in another "
    "tab or window (or a button was pressed twice), so nothing was changed. Your answers "
    "so far are kept; here is where you are now.",
    "changed": "That page was out of date: your answers were already changed in another "
    "tab or window, so nothing was changed. Here is where you are now.",
}


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    token, new = csrf_token(request)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    response = templates.TemplateResponse(
        request,
        name,
        {"notice": notice, **context, "csrf_field": CSRF_FIELD, "csrf_token": token},
        status_code=status,
    )
    if new:
        set_csrf_cookie(response, token, secure=request.url.scheme == "https")
    return response


async def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", {"status": status, "message": message}, status)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _checked_form(request: Request) -> dict[str, Any] | None:
    """The form's fields if its CSRF token is good; otherwise None."""
    form = await request.form()
    fields: dict[str, Any] = {k: form.getlist(k) for k in form}
    token = form.get(CSRF_FIELD)
    if not csrf_ok(request, token if isinstance(token, str) else None):
        return None
    return fields


def _one(fields: dict[str, Any], name: str) -> str | None:
    values = fields.get(name) or []
    value = values[0] if values else None
    return value if isinstance(value, str) else None


async def _forbidden(request: Request) -> Response:
    return await error_page(
        request,
        403,
        "This form has expired or came from another site. Go back, reload the page and try again.",
    )


def _respondents() -> list[tuple[str, str]]:
    """(id, label) of whom the answers can be about, as the knowledge base words them."""
    rw = default_engine().kb.respondents
    labels: dict[str, str] = {r.id: r.label for r in rw.respondents}
    return [(r, labels.get(r, r)) for r in RESPONDENTS]


def _start_context(**extra: Any) -> dict[str, Any]:
    return {"resume_error": None, "respondents": _respondents(), "respondent": "self", **extra}


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request) -> Response:
    return render(request, "start.html", _start_context())


def _emergency_screen_signs() -> set[str]:
    kb = default_engine().kb
    return {f for s in kb.interview.screens if s.emergency for f in s.items}


@router.post("/start")
async def start(request: Request) -> Response:
    fields = await _checked_form(request)
    if fields is None:
        return await _forbidden(request)
    respondent = _one(fields, "respondent") or "self"
    if respondent not in RESPONDENTS:
        respondent = "self"
    try:
        # Kept chips from "describe what you feel", if any.
        initial = chip_answers([v for v in fields.get("answer", []) if isinstance(v, str)])
        suggested = chip_answers([v for v in fields.get("suggest", []) if isinstance(v, str)])
        if _one(fields, "now") == "no":
            # "Is this happening now?" No, or not sure: the emergency signs read from
            # the text are not taken as answers; the emergency screen asks them.
            signs = _emergency_screen_signs()
            initial = {f: v for f, v in initial.items() if not (f in signs and v is True)}
        interview_id = await run_in_threadpool(_start, request, initial, respondent, suggested)
    except (ValueError, CaseError):
        return await error_page(
            request,
            422,
            "Those answers could not be used. Go back to the start and try again.",
        )
    return _see_other(f"/i/{interview_id}")


def _start(
    request: Request,
    initial: dict[str, Any],
    respondent: str,
    suggested: dict[str, Any] | None = None,
) -> str:
    live = sessions.start_interview(
        _store(request), initial or None, respondent=respondent, suggested=suggested
    )
    request.app.state.maybe_purge()
    return live.id


MAX_TEXT = 4000  # characters: a few paragraphs is plenty; longer is likely pasted by mistake


@router.post("/describe", response_class=HTMLResponse)
async def describe(request: Request) -> Response:
    """Show what was read from the description, as chips to keep or drop.

    Nothing is saved here: the text is read and forgotten; only the chips the
    person keeps are posted to /start.
    """
    fields = await _checked_form(request)
    if fields is None:
        return await _forbidden(request)
    text = (_one(fields, "text") or "").strip()
    if not text:
        return render(
            request,
            "start.html",
            _start_context(
                text_error="Type a few words about your leg pain first, or press Start."
            ),
            400,
        )
    if len(text) > MAX_TEXT:
        # Refused whole, never cut: the person decides what to leave out.
        over = len(text) - MAX_TEXT
        return render(
            request,
            "start.html",
            _start_context(
                text_error=(
                    f"This is {len(text):,} characters long, {over:,} more than the "
                    f"{MAX_TEXT:,} legpain can read. Please shorten it (nothing was read yet)."
                ),
                text=text,
            ),
            400,
        )
    parsed = await run_in_threadpool(parse, text)
    engine = default_engine()
    view = understood_view(engine, parsed)
    return render(
        request,
        "understood.html",
        {
            "view": view,
            "text": text,
            "respondents": _respondents(),
            "respondent": _respondent_of(parsed),
            "emergency_signs": await run_in_threadpool(_emergency_signs, parsed),
        },
    )


def _respondent_of(parsed: Any) -> str:
    """Who the text is about, for the person to confirm: "child" when it says "my son",
    "my daughter", "my child" and the like (the parser's own patterns), else "self"."""
    said = getattr(parsed, "respondent", None) or getattr(parsed, "subject", None)
    if isinstance(said, str) and said in RESPONDENTS:
        return said
    from legpain.text import load_lexicon

    try:
        patterns = load_lexicon(parsed.language).language.subject_child_patterns
    except Exception:  # another language, or none: the person chooses
        return "self"
    number = r"(?:\d+|[a-z]+(?:[\s-][a-z]+)?)"
    for p in patterns:
        if re.search(p.replace("NUM", number), parsed.text[:200], re.IGNORECASE):
            return "child"
    return "self"


def _emergency_signs(parsed: Any) -> list[str]:
    """The warning signs read from the text that make it an emergency (their labels)."""
    engine = default_engine()
    kb = engine.kb
    prefill = parsed.prefill(kb)
    signs = [f for f in _emergency_screen_signs() if prefill.get(f) is True]
    if not signs:
        return []
    try:
        level = engine.assess(prefill).level
    except CaseError:
        return []
    return sorted(kb.findings[f].label for f in signs) if level == "emergency" else []


@router.get("/resume")
def resume(request: Request, code: str = "") -> Response:
    m = _ID_IN_TEXT.search(code.strip())
    if not m:
        return render(
            request,
            "start.html",
            {"resume_error": "Paste the whole link you saved, or the code at its end."},
            status=400,
        )
    return _see_other(f"/i/{m.group(1)}")


ABOUT = {"child": "your child", "other": "someone else"}
BACK_COOKIE = "legpain_back"  # the answer Back took back, to show it again (10 minutes)


def _question_context(live: sessions.LiveInterview, q: Question) -> dict[str, Any]:
    kb = default_engine().kb
    finding = kb.findings.get(q.id)
    return {
        "live": live,
        "question": q,
        "number": live.interview.questions_asked + 1,
        "unit": finding.unit if finding else None,
        "minimum": finding.minimum if finding else None,
        "maximum": finding.maximum if finding else None,
        "error": None,
        "restored": None,
        "about": ABOUT.get(live.interview.respondent),
        "page_link": f"/i/{live.id}",
    }


def _restored(request: Request, live: sessions.LiveInterview, q: Question) -> Any:
    """The answer Back just took back from this question, if that is what is on screen."""
    raw = request.cookies.get(BACK_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("step") != live.step:
        return None
    if data.get("q") != q.id:
        return None
    value = data.get("v")
    if q.type == "group" and isinstance(value, list):
        return [v for v in value if v in q.items]
    if q.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    if value == "unknown" or isinstance(value, bool) or value in q.choices:
        return value
    return None


@router.get("/i/{interview_id}", response_class=HTMLResponse)
def question_page(request: Request, interview_id: str, notice: str = "") -> Response:
    live = sessions.open_interview(_store(request), interview_id)
    if live.next_question is None:
        return _see_other(_where(live, notice))
    context = _question_context(live, live.next_question)
    context["restored"] = _restored(request, live, live.next_question)
    context["own_notice"] = True  # question.html shows the notice by the question
    response = render(request, "question.html", context)
    if request.cookies.get(BACK_COOKIE):
        response.delete_cookie(BACK_COOKIE, path=f"/i/{live.id}")
    return response


def _form_value(q: Question, fields: dict[str, Any]) -> Any:
    """The answer a form carries, in the interview's terms; ValueError, in plain words
    the person can act on, if it cannot be used."""
    chosen = _one(fields, "value")
    if chosen is None:
        raise ValueError("Choose one of the answers.")
    if chosen == "unknown":
        return "unknown"
    if q.type == "group":
        ticked = [v for v in fields.get("items", []) if isinstance(v, str)]
        if chosen == "none":
            if ticked:
                raise ValueError(
                    "You ticked some of these but also chose “None of these”. "
                    "Untick them, or press “Continue”."
                )
            return []
        if not ticked:
            raise ValueError(
                "Nothing is ticked. Tick the ones that apply, or choose “None of these”."
            )
        return ticked
    if q.type == "boolean":
        if chosen not in ("true", "false"):
            raise ValueError("Choose yes, no or don't know.")
        return chosen == "true"
    if q.type == "number":
        raw = (_one(fields, "number") or "").strip().replace(",", ".")
        limits = ""
        if q.minimum is not None and q.maximum is not None:
            unit = f" ({q.unit})" if q.unit else ""
            limits = f" from {q.minimum:g} to {q.maximum:g}{unit}"
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValueError(f"Type a number{limits} in figures, or choose “Don't know”.")
        if (q.minimum is not None and number < q.minimum) or (
            q.maximum is not None and number > q.maximum
        ):
            raise ValueError(f"Type a number{limits}, or choose “Don't know”.")
        return number
    if chosen not in q.choices:
        raise ValueError("Choose one of the answers shown.")
    return chosen


@router.post("/i/{interview_id}/answer")
async def answer(request: Request, interview_id: str) -> Response:
    fields = await _checked_form(request)
    if fields is None:
        return await _forbidden(request)
    # The interview's work is CPU and database: off the event loop.
    return await run_in_threadpool(_answer, request, interview_id, fields)


def _where(live: sessions.LiveInterview, notice: str = "") -> str:
    """The page showing where the interview is now, with a notice if given."""
    page = f"/i/{live.id}" if live.next_question is not None else f"/i/{live.id}/result"
    return f"{page}?notice={notice}" if notice in NOTICES else page


def _form_step(fields: dict[str, Any]) -> int | None:
    raw = _one(fields, "step")
    return int(raw) if raw is not None and raw.isdigit() and len(raw) < 10 else None


def _same_form_again(live: sessions.LiveInterview, step: int | None, qid: str, value: Any) -> bool:
    """A double submit: this very answer was recorded at the form's step."""
    return (
        step is not None
        and live.step == step + 1
        and sessions.repeats_last_answer(live, qid, value)
    )


def _answer(request: Request, interview_id: str, fields: dict[str, Any]) -> Response:
    store = _store(request)
    live = sessions.open_interview(store, interview_id)
    question_id = _one(fields, "question_id") or ""
    # The form carries the step it was shown at: the step counter moves on with every
    # answer and undo, so a form from an older step is stale (another tab, a double
    # submit) and is not recorded. The person is told, unless it was this same answer.
    step = _form_step(fields)
    try:
        q = live.interview.question(question_id)
    except (CaseError, KeyError):
        return _see_other(_where(live, "answered"))
    invalid: ValueError | None = None
    try:
        value = _form_value(q, fields)
    except ValueError as exc:
        value, invalid = None, exc
    if (step is not None and step != live.step) or live.stored.result is not None:
        if invalid is None and _same_form_again(live, step, q.id, value):
            return _see_other(_where(live))
        return _see_other(_where(live, "answered"))
    try:
        if invalid is not None:
            raise invalid
        live = sessions.answer(store, live, q.id, value, expected_step=live.step)
    except (ValueError, CaseError) as exc:
        shown = live.next_question
        if shown is None:
            return _see_other(f"/i/{live.id}/result")
        context = _question_context(live, shown)
        # Never the engine's words ("got inf"): the person sees the question.
        context["error"] = str(exc) if isinstance(exc, ValueError) else _PLAIN_ERROR
        return render(request, "question.html", context, status=422)
    except AnswerConflict:  # another tab's write came between our read and our write
        now = sessions.open_interview(store, interview_id)
        return _see_other(
            _where(now, "" if _same_form_again(now, step, q.id, value) else "answered")
        )
    return _see_other(_where(live))


_PLAIN_ERROR = "That answer could not be used. Please choose one of the answers shown."


@router.post("/i/{interview_id}/back")
async def back(request: Request, interview_id: str) -> Response:
    fields = await _checked_form(request)
    if fields is None:
        return await _forbidden(request)
    return await run_in_threadpool(_back, request, interview_id, fields)


def _back(request: Request, interview_id: str, fields: dict[str, Any]) -> Response:
    store = _store(request)
    live = sessions.open_interview(store, interview_id)
    step = _form_step(fields)
    if (step is not None and step != live.step) or not live.stored.answers:
        return _see_other(_where(live, "changed"))
    last = live.stored.answers[-1]
    try:
        live = sessions.undo(store, live, expected_step=live.step)
    except AnswerConflict:
        return _see_other(_where(sessions.open_interview(store, interview_id), "changed"))
    except sessions.NothingToUndo:
        return _see_other(_where(live, "changed"))
    response = _see_other(f"/i/{live.id}")
    # The answer taken back is shown again on its question (age refilled, ticks
    # restored). It stays in this browser only, for this interview's pages.
    memo = json.dumps({"step": live.step, "q": last.question_id, "v": last.value})
    response.set_cookie(
        BACK_COOKIE,
        base64.urlsafe_b64encode(memo.encode()).decode(),
        max_age=600,
        path=f"/i/{live.id}",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


def _result_context(live: sessions.LiveInterview) -> dict[str, Any]:
    engine = default_engine()
    result = live.result()
    return {
        "live": live,
        "view": result_view(engine, result, live.interview.known),
        "page_link": f"/i/{live.id}",
    }


@router.get("/i/{interview_id}/result", response_class=HTMLResponse)
def result_page(request: Request, interview_id: str, notice: str = "") -> Response:
    live = sessions.open_interview(_store(request), interview_id)
    if live.next_question is not None:
        return _see_other(_where(live, notice))
    return render(request, "result.html", {**_result_context(live), "pdf": False})


@router.get("/i/{interview_id}/result.pdf")
def result_pdf(request: Request, interview_id: str) -> Response:
    live = sessions.open_interview(_store(request), interview_id)
    if live.next_question is not None:
        return _see_other(f"/i/{live.id}")
    html = templates.get_template("result_pdf.html").render(
        {
            **_result_context(live),
            "pdf": True,
            "generated": datetime.now(UTC).astimezone().strftime("%d %B %Y, %H:%M %Z"),
            "request": request,
            "csrf_field": "",
            "csrf_token": "",
        }
    )
    from legpain.web._pdf import html_to_pdf

    return Response(
        html_to_pdf(html),
        media_type="application/pdf",
        headers={"content-disposition": 'attachment; filename="legpain-result.pdf"'},
    )


@router.get("/i/{interview_id}/delete", response_class=HTMLResponse)
def delete_page(request: Request, interview_id: str) -> Response:
    live = sessions.open_interview(_store(request), interview_id)
    return render(request, "delete.html", {"live": live})


@router.post("/i/{interview_id}/delete")
async def delete(request: Request, interview_id: str) -> Response:
    if await _checked_form(request) is None:
        return await _forbidden(request)
    if not await run_in_threadpool(sessions.delete_interview, _store(request), interview_id):
        raise sessions.InterviewNotFound(interview_id)
    return render(request, "deleted.html", {})
