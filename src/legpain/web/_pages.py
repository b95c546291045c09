"""Server-rendered pages: plain HTML forms that work without JavaScript."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from legpain.engine import CaseError, default_engine
from legpain.interview import MAX_QUESTIONS, Question
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


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    token, new = csrf_token(request)
    response = templates.TemplateResponse(
        request,
        name,
        {**context, "csrf_field": CSRF_FIELD, "csrf_token": token},
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


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request) -> Response:
    return render(request, "start.html", {"resume_error": None})


@router.post("/start")
async def start(request: Request) -> Response:
    fields = await _checked_form(request)
    if fields is None:
        return await _forbidden(request)
    try:
        # Kept chips from "describe what you feel", if any.
        initial = chip_answers([v for v in fields.get("answer", []) if isinstance(v, str)])
        interview_id = await run_in_threadpool(_start, request, initial)
    except (ValueError, CaseError) as exc:
        return await error_page(request, 422, f"Those answers could not be used: {exc}")
    return _see_other(f"/i/{interview_id}")


def _start(request: Request, initial: dict[str, Any]) -> str:
    live = sessions.start_interview(_store(request), initial or None)
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
            {
                "resume_error": None,
                "text_error": "Type a few words about your leg pain first, or press Start.",
            },
            400,
        )
    if len(text) > MAX_TEXT:
        return render(
            request,
            "start.html",
            {
                "resume_error": None,
                "text_error": f"Please keep it under {MAX_TEXT} characters.",
                "text": text[:MAX_TEXT],
            },
            400,
        )
    parsed = await run_in_threadpool(parse, text)
    view = understood_view(default_engine(), parsed)
    return render(request, "understood.html", {"view": view, "text": text})


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
        "page_link": f"/i/{live.id}",
    }


@router.get("/i/{interview_id}", response_class=HTMLResponse)
def question_page(request: Request, interview_id: str) -> Response:
    live = sessions.open_interview(_store(request), interview_id)
    if live.next_question is None:
        return _see_other(f"/i/{live.id}/result")
    return render(request, "question.html", _question_context(live, live.next_question))


def _form_value(q: Question, fields: dict[str, Any]) -> Any:
    """The answer a form carries, in the interview's terms; ValueError if unreadable."""
    chosen = _one(fields, "value")
    if chosen is None:
        raise ValueError("Choose one of the answers.")
    if chosen == "unknown":
        return "unknown"
    if q.type == "group":
        return [v for v in fields.get("items", []) if isinstance(v, str)]
    if q.type == "boolean":
        if chosen not in ("true", "false"):
            raise ValueError("Choose yes, no or don't know.")
        return chosen == "true"
    if q.type == "number":
        raw = (_one(fields, "number") or "").strip().replace(",", ".")
        try:
            return float(raw)
        except ValueError:
            raise ValueError("Type a number, or choose “Don't know”.") from None
    return chosen


@router.post("/i/{interview_id}/answer")
async def answer(request: Request, interview_id: str) -> Response:
    fields = await _checked_form(request)
    if fields is None:
        return await _forbidden(request)
    # The interview's work is CPU and database: off the event loop.
    return await run_in_threadpool(_answer, request, interview_id, fields)


def _answer(request: Request, interview_id: str, fields: dict[str, Any]) -> Response:
    store = _store(request)
    live = sessions.open_interview(store, interview_id)
    question_id = _one(fields, "question_id") or ""
    # A stale form (double submit, or an old tab) changes nothing: show where we are.
    # The step alone tells: the question shown at a step is always the same one.
    if _one(fields, "step") != str(live.answer_count) or live.stored.result is not None:
        return _see_other(f"/i/{live.id}")
    try:
        q = live.interview.question(question_id)
    except (CaseError, KeyError):
        return _see_other(f"/i/{live.id}")
    try:
        live = sessions.answer(store, live, q.id, _form_value(q, fields))
    except (ValueError, CaseError) as exc:
        shown = live.next_question
        if shown is None:
            return _see_other(f"/i/{live.id}/result")
        context = _question_context(live, shown)
        if isinstance(exc, CaseError):  # drop the finding id: the person sees the question
            context["error"] = "; ".join(p.split(": ", 1)[-1] for p in exc.problems)
        else:
            context["error"] = str(exc)
        return render(request, "question.html", context, status=422)
    except AnswerConflict:
        pass
    return _see_other(f"/i/{live.id}" if live.next_question else f"/i/{live.id}/result")


@router.post("/i/{interview_id}/back")
async def back(request: Request, interview_id: str) -> Response:
    fields = await _checked_form(request)
    if fields is None:
        return await _forbidden(request)
    return await run_in_threadpool(_back, request, interview_id, fields)


def _back(request: Request, interview_id: str, fields: dict[str, Any]) -> Response:
    store = _store(request)
    live = sessions.open_interview(store, interview_id)
    if _one(fields, "step") == str(live.answer_count):
        with contextlib.suppress(AnswerConflict):  # someone else moved it on: show that
            sessions.undo(store, live)
    return _see_other(f"/i/{live.id}")


def _result_context(live: sessions.LiveInterview) -> dict[str, Any]:
    engine = default_engine()
    result = live.result()
    return {
        "live": live,
        "view": result_view(engine, result, live.interview.known),
        "page_link": f"/i/{live.id}",
    }


@router.get("/i/{interview_id}/result", response_class=HTMLResponse)
def result_page(request: Request, interview_id: str) -> Response:
    live = sessions.open_interview(_store(request), interview_id)
    if live.next_question is not None:
        return _see_other(f"/i/{live.id}")
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
    if not await run_in_threadpool(_store(request).delete, interview_id):
        raise sessions.InterviewNotFound(interview_id)
    return render(request, "deleted.html", {})
