"""The condition library (/conditions) and the FHIR export routes.

Pages and JSON come from ``legpain.library`` and ``legpain.export``: no clinical text
here or in the templates. Canonical FHIR URLs come from LEGPAIN_PUBLIC_BASE_URL,
never from the request's Host header.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from legpain.engine import default_engine
from legpain.export.codes import public_base_url
from legpain.library import condition_page, groups, search
from legpain.storage import Store
from legpain.web import _pages
from legpain.web import _sessions as sessions
from legpain.web._api import InterviewId
from legpain.web._problems import problem_responses

FHIR_JSON = "application/fhir+json"
MAX_QUERY = 200
MAX_MATCHES = 8

ConditionId = Annotated[
    str,
    Path(
        description="A condition id of the vocabulary (see /api/v1/vocabulary).",
        min_length=2,
        max_length=64,
        pattern=r"^[a-z][a-z0-9_]*$",
    ),
]


def condition_url(cid: str) -> str:
    """The library page of a condition: link to it from every result."""
    return f"/conditions/{cid}"


def fhir_download_url(interview_id: str) -> str:
    """The result page's "Download for your health record" link target."""
    return f"/i/{interview_id}/fhir"


# Templates (result.html among them) can call these.
_pages.templates.env.globals["condition_url"] = condition_url
_pages.templates.env.globals["fhir_download_url"] = fhir_download_url

router = APIRouter()


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _fhir(data: dict[str, Any], filename: str | None = None) -> Response:
    headers = {"content-disposition": f'attachment; filename="{filename}"'} if filename else {}
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2), media_type=FHIR_JSON, headers=headers
    )


# --- pages ------------------------------------------------------------------------


@router.get("/conditions", response_class=HTMLResponse, include_in_schema=False)
def conditions_page(request: Request, q: str = "") -> Response:
    kb = default_engine().kb
    query = q.strip()[:MAX_QUERY]
    matches = search(query, kb) if query else []
    return _pages.render(
        request,
        "conditions.html",
        {
            "groups": [
                {
                    "id": g.id,
                    "title": g.title,
                    "intro": g.intro,
                    "conditions": [(cid, kb.conditions[cid].name) for cid in g.conditions],
                }
                for g in groups()
            ],
            "query": query,
            "matches": [(cid, kb.conditions[cid].name) for cid, _ in matches[:MAX_MATCHES]],
        },
    )


@router.get("/conditions/{condition_id}", response_class=HTMLResponse, include_in_schema=False)
def condition_html(request: Request, condition_id: str) -> Response:
    kb = default_engine().kb
    if condition_id not in kb.conditions:
        raise HTTPException(404, "There is no condition with this name in the library.")
    page = condition_page(condition_id, kb)
    return _pages.render(request, "condition.html", {"page": page, "sources": kb.sources})


@router.get("/i/{interview_id}/fhir", include_in_schema=False)
def fhir_download(request: Request, interview_id: str) -> Response:
    from legpain.export.fhir import build_bundle  # fhir.resources loads on first use

    live = sessions.open_interview(_store(request), interview_id)
    if live.next_question is not None:
        return RedirectResponse(f"/i/{live.id}", status_code=303)
    bundle = build_bundle(live.interview.result(), public_base_url(), complete=True)
    return _fhir(bundle, "legpain-health-record.json")


@router.get("/fhir/Questionnaire/legpain", include_in_schema=False)
async def fhir_questionnaire() -> Response:
    from legpain.export.questionnaire import questionnaire  # fhir.resources, on first use

    return _fhir(await run_in_threadpool(questionnaire, default_engine().kb, public_base_url()))


# --- JSON API ---------------------------------------------------------------------


class SignOut(BaseModel):
    finding: str
    value: str
    text: str
    strength: str
    likelihood_ratio: float
    source: str


class ItemOut(BaseModel):
    id: str
    text: str
    source: str


class WarningOut(BaseModel):
    id: str
    level: str
    message: str
    action: str
    source: str


class SourceOut(BaseModel):
    key: str
    title: str
    url: str | None


class GroupRef(BaseModel):
    id: str
    title: str


class CareOut(BaseModel):
    level: str
    text: str


class CodesOut(BaseModel):
    icd10: str | None
    snomed: str | None


class ConditionPageOut(BaseModel):
    id: str
    name: str
    short_name: str
    group: GroupRef
    summary: str
    care: CareOut
    codes: CodesOut
    points_to: list[SignOut]
    points_away: list[SignOut]
    tonight: list[ItemOut]
    get_help: list[WarningOut]
    watch_for: list[ItemOut]
    tests: list[ItemOut]
    ask_doctor: list[ItemOut]
    sources: list[SourceOut]


class LibraryGroupOut(BaseModel):
    id: str
    title: str
    intro: str
    conditions: list[str]


class LibraryOut(BaseModel):
    groups: list[LibraryGroupOut]


@router.get(
    "/api/v1/conditions",
    response_model=LibraryOut,
    responses=problem_responses(429),
    tags=["api"],
    summary="The condition library's groups",
)
def library_api() -> LibraryOut:
    return LibraryOut(
        groups=[
            LibraryGroupOut(id=g.id, title=g.title, intro=g.intro, conditions=list(g.conditions))
            for g in groups()
        ]
    )


@router.get(
    "/api/v1/conditions/{condition_id}",
    response_model=ConditionPageOut,
    responses=problem_responses(404, 422, 429),
    tags=["api"],
    summary="A condition's library page: what it is, what points to it, what helps, "
    "when to get help, and its sources",
)
def condition_api(condition_id: ConditionId) -> ConditionPageOut:
    kb = default_engine().kb
    if condition_id not in kb.conditions:
        raise HTTPException(404, "No such condition")
    return ConditionPageOut.model_validate(condition_page(condition_id, kb).to_dict())


@router.get(
    "/api/v1/interviews/{interview_id}/fhir",
    response_class=Response,
    responses={
        200: {
            "description": "A FHIR R4B Bundle (collection): Patient (age and sex only), "
            "QuestionnaireResponse, symptom Observations, differential Conditions, "
            "RiskAssessment and ClinicalImpression. See docs/fhir.md.",
            "content": {FHIR_JSON: {"schema": {"type": "object"}}},
        },
        **problem_responses(404, 422, 429),
    },
    tags=["api"],
    summary="The assessment as a FHIR Bundle for a health record (provisional until complete)",
)
def interview_fhir(request: Request, interview_id: InterviewId) -> Response:
    from legpain.export.fhir import build_bundle  # fhir.resources loads on first use

    live = sessions.open_interview(_store(request), interview_id)
    return _fhir(build_bundle(live.interview.result(), public_base_url(), complete=live.complete))


__all__ = ["condition_url", "fhir_download_url", "router"]
