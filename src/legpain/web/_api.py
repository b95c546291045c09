"""The JSON API under /api/v1. Every clinical answer comes from the interview and engine."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from legpain.engine import default_engine
from legpain.interview import Question
from legpain.storage import AnswerConflict, IdempotencyKeyUsed, IdempotencyRecord, Store
from legpain.text import parse
from legpain.web import _sessions as sessions
from legpain.web._problems import (
    PROBLEM_JSON,
    FieldProblem,
    Problem,
    problem_response,
    problem_responses,
)

ShortStr = Annotated[str, StringConstraints(max_length=200)]


def _answer_value(value: Any) -> Any:
    """One clear message instead of one per union member; the engine checks the rest."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and len(value) <= 200:
        return value
    if (
        isinstance(value, list)
        and len(value) <= 100
        and all(isinstance(v, str) and len(v) <= 200 for v in value)
    ):
        return value
    raise ValueError("expected true/false, a number, a choice, 'unknown', or a list of item ids")


AnswerValue = Annotated[
    Any,
    PlainValidator(_answer_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "boolean"},
                {"type": "number"},
                {"type": "string", "maxLength": 200},
                {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 100},
            ]
        }
    ),
]
InterviewId = Annotated[
    str,
    Path(
        description="The interview's unguessable id.",
        min_length=10,
        max_length=32,
        pattern=r"^[A-Za-z0-9_-]+$",
    ),
]
TriageLevel = Literal["self_care", "routine", "urgent", "emergency"]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A random value unique to this write (a UUID): a retry with the same "
        "key gets the first response again and records nothing twice. Kept hashed, only "
        "as long as the interview.",
        min_length=16,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
    ),
]
ExpectedStep = Field(
    default=None,
    ge=0,
    le=2**31 - 1,
    description="The `step` of the interview this write answers (from the last response). "
    "If the interview has moved on, nothing is recorded and the answer is 409 with the "
    "interview now. Without it the step the server reads is used.",
)


class InitialAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: dict[ShortStr, AnswerValue] = Field(
        default_factory=dict,
        max_length=200,
        description="What is already known: finding id -> value (see /api/v1/vocabulary).",
    )
    respondent: Literal["self", "child", "other"] = Field(
        default="self",
        description="Who the answers are about: the person answering, their child, or "
        "someone else. The questions are worded for them.",
    )


class Case(BaseModel):
    """A case: its answers, or a FHIR QuestionnaireResponse of legpain's Questionnaire
    (or a Bundle holding one), read into answers first (see docs/fhir.md)."""

    model_config = ConfigDict(extra="forbid")
    answers: dict[ShortStr, AnswerValue] = Field(
        max_length=200, description="Finding id -> true/false, a choice, a number or 'unknown'."
    )
    case: ShortStr | None = Field(default=None, description="An optional name for the case.")

    @model_validator(mode="before")
    @classmethod
    def _questionnaire_response(cls, data: Any) -> Any:
        from legpain.export.questionnaire import from_questionnaire_response, is_fhir_document

        if not is_fhir_document(data):
            return data
        answers, case = from_questionnaire_response(data)  # ValueError: a 422 that says why
        return {"answers": answers, "case": case}


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_id: ShortStr = Field(
        description="The question's id (a finding or a grouped question)."
    )
    value: AnswerValue = Field(
        description="The answer: true/false, a choice, a number, 'unknown', or for a grouped "
        "question the list of item ids that apply ([] for none)."
    )
    expected_step: int | None = ExpectedStep


class UndoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expected_step: int | None = ExpectedStep


class QuestionItem(BaseModel):
    id: str
    text: str


class QuestionOut(BaseModel):
    id: str
    text: str
    why: str
    type: Literal["boolean", "choice", "number", "group"]
    choices: list[str]
    items: list[QuestionItem]
    kind: str

    @classmethod
    def of(cls, q: Question) -> QuestionOut:
        return cls.model_validate(q.to_dict())


class InterviewLinks(BaseModel):
    self: str
    result: str
    page: str = Field(description="The web page of this interview (the link to come back).")


class InterviewOut(BaseModel):
    id: str
    step: int = Field(
        description="The interview's step counter: it moves on with every answer and undo. "
        "Send it back as `expected_step` with the next write."
    )
    answers_stored: int = Field(description="Answers saved so far, including changed ones.")
    questions_asked: int
    complete: bool = Field(description="True when the interview has no more questions.")
    next_question: QuestionOut | None
    known: dict[str, bool | float | str] = Field(description="What is known: finding -> value.")
    respondent: Literal["self", "child", "other"] = Field(
        default="self", description="Who the answers are about."
    )
    links: InterviewLinks


class NextOut(BaseModel):
    complete: bool
    questions_asked: int
    question: QuestionOut | None


class ConditionOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    probability: float = Field(ge=0, le=1)


class RedFlagOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    message: str


class AssessmentOut(BaseModel):
    """The result format of case-format.md; more fields may appear beside these."""

    model_config = ConfigDict(extra="allow")
    case: str | None
    conditions: list[ConditionOut]
    triage: TriageLevel
    triage_action: str
    red_flags: list[RedFlagOut]
    contributors: list[str]


class ResultOut(BaseModel):
    interview_id: str
    complete: bool = Field(description="False: a provisional result from the answers so far.")
    result: AssessmentOut


class FindingOut(BaseModel):
    id: str
    type: Literal["boolean", "choice", "number"]
    group: str
    question: str
    label: str
    choices: list[str] | None
    unit: str | None
    minimum: float | None
    maximum: float | None
    warning: bool


class ConditionInfo(BaseModel):
    id: str
    name: str
    summary: str


class ScreenOut(BaseModel):
    id: str
    text: str
    items: list[str]


class VocabularyOut(BaseModel):
    findings: list[FindingOut]
    conditions: list[ConditionInfo]
    triage_levels: list[TriageLevel]
    grouped_questions: list[ScreenOut]


router = APIRouter(prefix="/api/v1", tags=["api"])


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _json(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """The model's JSON as the response: FastAPI would otherwise validate the model it was
    just built from a second time (``response_model`` still documents it)."""
    return Response(
        model.model_dump_json(), status_code=status, headers=headers, media_type="application/json"
    )


def _out(request: Request, live: sessions.LiveInterview) -> InterviewOut:
    base = f"/api/v1/interviews/{live.id}"
    q = live.next_question
    return InterviewOut(
        id=live.id,
        step=live.step,
        answers_stored=live.answer_count,
        questions_asked=live.interview.questions_asked,
        complete=q is None,
        next_question=None if q is None else QuestionOut.of(q),
        known=live.interview.known,
        respondent=live.interview.respondent,
        links=InterviewLinks(self=base, result=f"{base}/result", page=f"/i/{live.id}"),
    )


STEP_MOVED = (
    "This interview had already moved on when this request arrived: another request "
    "(from another tab or window, or an earlier try of this one) answered or took back an "
    "answer first. Nothing was recorded from this request. `current` is the interview now; "
    "to still make this change, send it again with expected_step set to `current_step`."
)
NOTHING_TO_UNDO = "There is no answer to take back. Nothing was changed; `current` is the "
NOTHING_TO_UNDO += "interview now."
KEY_REUSED = (
    "This Idempotency-Key was already used for a different request. Nothing was recorded; "
    "use a new key for a new request."
)
CONFLICT_DOC = {
    "description": "Conflict: the interview had moved on, or there is nothing to undo. "
    "Nothing was recorded. Besides the problem's fields the body has `current_step` and "
    "`current` (the interview now, as the 200 response gives it)."
}


def _conflict(request: Request, interview_id: str, detail: str) -> Response:
    """409 with the interview as it is now (``InterviewNotFound`` if it is gone)."""
    live = sessions.open_interview(_store(request), interview_id)
    body = Problem(title="Conflict", status=409, detail=detail).model_dump()
    body |= {"current_step": live.step, "current": _out(request, live).model_dump(mode="json")}
    return JSONResponse(body, status_code=409, media_type=PROBLEM_JSON)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class _Idempotent:
    """An ``Idempotency-Key`` for one operation on one interview (or one start)."""

    key_hash: str
    request_hash: str

    @classmethod
    def of(
        cls, key: str | None, operation: str, interview_id: str, body: BaseModel | None
    ) -> _Idempotent | None:
        if key is None:
            return None
        payload = body.model_dump_json() if body is not None else ""
        # The key is never stored as sent: only this hash, which also names what it was for.
        return cls(
            key_hash=_digest("idempotency-key", operation, interview_id, key.strip('"')),
            request_hash=_digest(operation, interview_id, payload),
        )

    def replay(self, store: Store) -> Response | None:
        """The first response to this key again, or None if the key is new."""
        record = store.idempotent_response(self.key_hash)
        if record is None:
            return None
        if record.request_hash != self.request_hash:
            field = FieldProblem(field="Idempotency-Key", detail=KEY_REUSED)
            return problem_response(422, "Idempotency-Key reused", KEY_REUSED, [field])
        headers = {"idempotent-replayed": "true"}
        if record.status == 201:
            headers["location"] = str(record.response["links"]["self"])
        return JSONResponse(record.response, status_code=record.status, headers=headers)

    def remember(
        self, request: Request, status: int
    ) -> Callable[[sessions.LiveInterview], IdempotencyRecord]:
        def record(live: sessions.LiveInterview) -> IdempotencyRecord:
            body = _out(request, live).model_dump(mode="json")
            return IdempotencyRecord(self.key_hash, self.request_hash, status, body)

        return record


Write = Callable[[sessions.LiveInterview, sessions.Remember], sessions.LiveInterview]


def _write(
    request: Request,
    interview_id: str,
    expected_step: int | None,
    idem: _Idempotent | None,
    write: Write,
) -> Any:
    """Apply one write to an interview: a retry of a recorded key gets its first
    response; a write that lost a race gets 409 with the interview now."""
    store = _store(request)
    if idem is not None and (replay := idem.replay(store)) is not None:
        return replay
    remember = idem.remember(request, 200) if idem is not None else sessions.no_record
    try:
        after = sessions.write_to(
            store,
            interview_id,
            expected_step,
            lambda live: write(live, remember),
            only_writer=request.app.state.settings.only_writer,
        )
    except (AnswerConflict, IdempotencyKeyUsed):
        # The same key may have won the race (a retry sent while the first was running).
        if idem is not None and (replay := idem.replay(store)) is not None:
            return replay
        return _conflict(request, interview_id, STEP_MOVED)
    except sessions.NothingToUndo:
        return _conflict(request, interview_id, NOTHING_TO_UNDO)
    return _json(_out(request, after))


@router.post(
    "/interviews",
    status_code=201,
    response_model=InterviewOut,
    responses=problem_responses(400, 413, 422, 429),
    summary="Start an interview, optionally with what is already known",
)
def create_interview(
    request: Request,
    body: Annotated[InitialAnswers | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    initial = body or InitialAnswers()
    idem = _Idempotent.of(idempotency_key, "start", "", initial)
    store = _store(request)
    if idem is not None and (replay := idem.replay(store)) is not None:
        return replay
    remember = idem.remember(request, 201) if idem is not None else sessions.no_record
    try:
        live = sessions.start_interview(store, initial.answers, remember, initial.respondent)
    except IdempotencyKeyUsed:
        replay = idem.replay(store) if idem is not None else None
        if replay is None:  # pragma: no cover - the key's record is there once it collides
            raise
        return replay
    request.app.state.maybe_purge()
    return _json(_out(request, live), 201, {"location": f"/api/v1/interviews/{live.id}"})


@router.get(
    "/interviews/{interview_id}",
    response_model=InterviewOut,
    responses=problem_responses(404, 422, 429),
    summary="The interview's state and next question",
)
def get_interview(request: Request, interview_id: InterviewId) -> Response:
    return _json(_out(request, sessions.open_interview(_store(request), interview_id)))


@router.get(
    "/interviews/{interview_id}/next",
    response_model=NextOut,
    responses=problem_responses(404, 422, 429),
    summary="The next question (single or grouped), or none when complete",
)
def next_question(request: Request, interview_id: InterviewId) -> NextOut:
    live = sessions.open_interview(_store(request), interview_id)
    q = live.next_question
    return NextOut(
        complete=q is None,
        questions_asked=live.interview.questions_asked,
        question=None if q is None else QuestionOut.of(q),
    )


@router.post(
    "/interviews/{interview_id}/answers",
    response_model=InterviewOut,
    responses={**problem_responses(400, 404, 409, 413, 422, 429), 409: CONFLICT_DOC},
    summary="Answer a question (or answer an earlier one again to change it)",
)
def answer(
    request: Request,
    interview_id: InterviewId,
    body: AnswerIn,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    store = _store(request)

    def write(live: sessions.LiveInterview, remember: sessions.Remember) -> sessions.LiveInterview:
        if body.expected_step is None and sessions.repeats_last_answer(
            live, body.question_id, body.value
        ):
            # A client that sends no step cannot be told a retry from a new answer; the
            # same answer to the same question twice running changes nothing, so it is
            # not recorded again.
            return live
        return sessions.answer(
            store,
            live,
            body.question_id,
            body.value,
            expected_step=body.expected_step,
            remember=remember,
        )

    idem = _Idempotent.of(idempotency_key, "answer", interview_id, body)
    return _write(request, interview_id, body.expected_step, idem, write)


@router.post(
    "/interviews/{interview_id}/undo",
    response_model=InterviewOut,
    responses={**problem_responses(400, 404, 409, 413, 422, 429), 409: CONFLICT_DOC},
    summary="Take back the last answer",
)
def undo(
    request: Request,
    interview_id: InterviewId,
    body: Annotated[UndoIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    store = _store(request)
    given = body or UndoIn()

    def write(live: sessions.LiveInterview, remember: sessions.Remember) -> sessions.LiveInterview:
        return sessions.undo(store, live, expected_step=given.expected_step, remember=remember)

    idem = _Idempotent.of(idempotency_key, "undo", interview_id, given)
    return _write(request, interview_id, given.expected_step, idem, write)


@router.get(
    "/interviews/{interview_id}/result",
    response_model=ResultOut,
    responses=problem_responses(404, 422, 429),
    summary="The result (provisional until the interview is complete)",
)
def result(request: Request, interview_id: InterviewId) -> ResultOut:
    live = sessions.open_interview(_store(request), interview_id)
    return ResultOut(
        interview_id=live.id,
        complete=live.complete,
        result=AssessmentOut.model_validate(live.result()),
    )


@router.delete(
    "/interviews/{interview_id}",
    status_code=204,
    responses=problem_responses(404, 422, 429),
    summary="Delete the interview, its answers and result (really deleted)",
)
def delete(request: Request, interview_id: InterviewId) -> Response:
    if not sessions.delete_interview(_store(request), interview_id):
        raise sessions.InterviewNotFound(interview_id)
    return Response(status_code=204)


@router.post(
    "/assess",
    response_model=AssessmentOut,
    responses=problem_responses(400, 413, 422, 429),
    summary="Assess a case without saving anything",
)
def assess(body: Case) -> AssessmentOut:
    result: dict[str, Any] = default_engine().assess(body.answers, body.case).to_dict()
    return AssessmentOut.model_validate(result)


class ParseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=4000, description="What the person wrote, in their words.")


class EvidenceOut(BaseModel):
    finding: str
    value: Any
    text: str = Field(description="The words that gave this finding.")
    start: int
    end: int
    confidence: float


class SetAsideOut(BaseModel):
    finding: str
    text: str
    start: int
    end: int
    reason: str


class ParseOut(BaseModel):
    answers: dict[str, Any] = Field(description="finding id -> value, as a case's answers")
    prefill: dict[str, Any] = Field(
        description="The answers to start an interview from: all of `answers` except a "
        "denied warning sign, which the interview's screen asks again."
    )
    evidence: list[EvidenceOut]
    set_aside: list[SetAsideOut] = Field(description="Mentioned, but not of the person now.")
    unplaced: list[str] = Field(description="Parts of the text that gave no finding.")


@router.post(
    "/parse",
    response_model=ParseOut,
    responses=problem_responses(400, 413, 422, 429),
    summary="Read free text into answers (nothing is saved)",
)
def parse_text(body: ParseIn) -> ParseOut:
    parsed = parse(body.text)
    return ParseOut(
        answers=parsed.answers,
        prefill=parsed.prefill(default_engine().kb),
        evidence=[EvidenceOut(**e.to_dict()) for e in parsed.evidence.values()],
        set_aside=[SetAsideOut(**s.to_dict()) for s in parsed.set_aside],
        unplaced=list(parsed.unplaced),
    )


@router.get(
    "/vocabulary",
    response_model=VocabularyOut,
    responses=problem_responses(429),
    summary="The finding ids and values an answer may use, and the conditions",
)
def vocabulary() -> VocabularyOut:
    kb = default_engine().kb
    return VocabularyOut(
        findings=[
            FindingOut(
                id=f.id,
                type=f.type,
                group=f.group,
                question=f.question,
                label=f.label,
                choices=f.choices,
                unit=f.unit,
                minimum=f.minimum,
                maximum=f.maximum,
                warning=f.warning,
            )
            for f in kb.findings.values()
        ],
        conditions=[
            ConditionInfo(id=c.id, name=c.name, summary=c.summary.strip())
            for c in kb.conditions.values()
        ],
        triage_levels=["self_care", "routine", "urgent", "emergency"],
        grouped_questions=[
            ScreenOut(id=s.id, text=s.text, items=list(s.items)) for s in kb.interview.screens
        ],
    )
