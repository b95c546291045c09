"""RFC 9457 problem details for every API error, naming the bad field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"
_NAMED = re.compile(r"^(?:[\w.-]+: )?([a-z_][a-z0-9_]*): ")
_UNKNOWN = re.compile(r"^unknown (?:finding|question) '([^']+)'")


class FieldProblem(BaseModel):
    field: str | None = Field(description="The bad field, as a dotted path (e.g. answers.age).")
    detail: str = Field(description="What was wrong and what is expected.")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = []


def problem_response(
    status: int,
    title: str,
    detail: str,
    errors: Sequence[FieldProblem] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    if not errors and 400 <= status < 500:
        # Nothing to name: the one error says in words what was wrong.
        errors = [FieldProblem(field=None, detail=detail)]
    body = Problem(title=title, status=status, detail=detail, errors=list(errors))
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def case_error_fields(problems: Sequence[str], prefix: str) -> list[FieldProblem]:
    """The engine's messages, each with the field it names (``prefix`` + finding id)."""
    out: list[FieldProblem] = []
    for message in problems:
        m = _NAMED.match(message) or _UNKNOWN.match(message)
        field = (
            f"{prefix}.{m.group(1)}" if (m and prefix) else (m.group(1) if m else prefix or None)
        )
        out.append(FieldProblem(field=field, detail=message))
    return out


def validation_fields(errors: Sequence[Any]) -> list[FieldProblem]:
    """Pydantic's errors with their location as a dotted path without the ``body`` root."""
    out: list[FieldProblem] = []
    for e in errors:
        if e.get("type") == "json_invalid":
            # Its location is a character offset, not a field.
            where = [p for p in e.get("loc", ()) if isinstance(p, int)]
            at = f" (at character {where[0]})" if where else ""
            reason = (e.get("ctx") or {}).get("error") or e.get("msg", "invalid")
            out.append(FieldProblem(field=None, detail=f"the body is not valid JSON{at}: {reason}"))
            continue
        loc = [str(part) for part in e.get("loc", ()) if part not in ("body", "query", "path")]
        out.append(FieldProblem(field=".".join(loc) or None, detail=str(e.get("msg", "invalid"))))
    return out


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, each a problem document."""
    titles = {
        400: "Bad request",
        404: "No such assessment",
        409: "Conflict",
        413: "Request too large",
        422: "Invalid input",
        429: "Too many requests",
        503: "Busy: try again shortly",
    }
    return {
        s: {
            "description": titles[s],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }
