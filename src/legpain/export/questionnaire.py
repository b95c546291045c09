"""legpain's Questionnaire (every finding) and QuestionnaireResponses: answers in and out.

The Questionnaire is published at ``/fhir/Questionnaire/legpain`` under the configured
base URL. Each finding is one item whose ``linkId`` is the finding id, grouped as in
findings.yaml; a choice's answer is a Coding whose code is the vocabulary's value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

import legpain
from legpain.engine import Value
from legpain.export import codes
from legpain.knowledge import KnowledgeBase, load_knowledge
from legpain.knowledge._schema import Finding

GROUP_TITLES = {
    "about_you": "About you",
    "the_pain": "The pain",
    "timing": "When it hurts",
    "what_helps": "What makes it better or worse",
    "signs": "What you can see or feel",
    "warning_signs": "Warning signs",
    "history": "Your health",
    "medicines": "Medicines",
    "lifestyle": "Daily life",
}
GROUP_PREFIX = "group-"
ITEM_TYPE = {"boolean": "boolean", "choice": "choice", "number": "decimal"}


def _choice_display(value: str) -> str:
    return value.replace("_", " ")


def _finding_item(f: Finding, base: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": f.id,
        "code": [{"system": codes.finding_system(base), "code": f.id, "display": f.label}],
        "text": f.question,
        "type": ITEM_TYPE[f.type],
        "required": False,
    }
    if f.choices:
        item["answerOption"] = [
            {
                "valueCoding": {
                    "system": codes.value_system(base),
                    "code": c,
                    "display": _choice_display(c),
                }
            }
            for c in f.choices
        ]
    ext: list[dict[str, Any]] = []
    if f.type == "number":
        if f.unit:
            ext.append(
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
                    "valueCoding": {"display": f.unit},
                }
            )
        if f.minimum is not None:
            ext.append(
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/minValue",
                    "valueDecimal": f.minimum,
                }
            )
        if f.maximum is not None:
            ext.append(
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/maxValue",
                    "valueDecimal": f.maximum,
                }
            )
    if ext:
        item["extension"] = ext
    if f.applies_to_sex:
        item["enableWhen"] = [
            {
                "question": "sex",
                "operator": "=",
                "answerCoding": {"system": codes.value_system(base), "code": f.applies_to_sex},
            }
        ]
    return item


def _groups(kb: KnowledgeBase) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in kb.findings.values():
        out.setdefault(f.group, []).append(f)
    return out


def questionnaire(kb: KnowledgeBase | None = None, base: str | None = None) -> dict[str, Any]:
    """The Questionnaire listing every finding, validated with fhir.resources (R4B)."""
    kb = kb or load_knowledge()
    base = base or codes.public_base_url()
    items = [
        {
            "linkId": f"{GROUP_PREFIX}{group}",
            "text": GROUP_TITLES.get(group, group.replace("_", " ").capitalize()),
            "type": "group",
            "item": [_finding_item(f, base) for f in findings],
        }
        for group, findings in _groups(kb).items()
    ]
    q = {
        "resourceType": "Questionnaire",
        "id": "legpain",
        "url": codes.questionnaire_url(base),
        "version": legpain.__version__,
        "name": "Legpain",
        "title": "legpain: why do my legs hurt when I lie down?",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "legpain",
        "description": (
            "Every question legpain can ask (one item per finding of its vocabulary). "
            "A self-assessment of possible causes, not a diagnosis."
        ),
        "item": items,
    }
    return Questionnaire.model_validate(q).model_dump(mode="json", exclude_none=True)


def _answer(f: Finding, value: Value, base: str) -> dict[str, Any]:
    if f.type == "boolean":
        return {"valueBoolean": bool(value)}
    if f.type == "choice":
        return {
            "valueCoding": {
                "system": codes.value_system(base),
                "code": str(value),
                "display": _choice_display(str(value)),
            }
        }
    return {"valueDecimal": float(value)}


def questionnaire_response_items(
    answers: Mapping[str, Value], kb: KnowledgeBase, base: str
) -> list[dict[str, Any]]:
    """Every answer, grouped as in the Questionnaire (unknown answers are left out)."""
    items = []
    for group, findings in _groups(kb).items():
        answered = [
            {"linkId": f.id, "text": f.question, "answer": [_answer(f, answers[f.id], base)]}
            for f in findings
            if f.id in answers
        ]
        if answered:
            items.append(
                {
                    "linkId": f"{GROUP_PREFIX}{group}",
                    "text": GROUP_TITLES.get(group, group),
                    "item": answered,
                }
            )
    return items


class NotAQuestionnaireResponse(ValueError):
    """The document is not a QuestionnaireResponse (or a Bundle holding one) that FHIR accepts."""


def _leaf_answers(items: list[Any], out: dict[str, Any]) -> None:
    for item in items or []:
        if not isinstance(item, Mapping):
            continue
        link = item.get("linkId")
        answers = item.get("answer") or []
        if answers and isinstance(link, str) and not link.startswith(GROUP_PREFIX):
            a = answers[0] if isinstance(answers[0], Mapping) else {}
            if "valueBoolean" in a:
                out[link] = a["valueBoolean"]
            elif "valueCoding" in a and isinstance(a["valueCoding"], Mapping):
                out[link] = a["valueCoding"].get("code")
            elif "valueDecimal" in a:
                out[link] = a["valueDecimal"]
            elif "valueInteger" in a:
                out[link] = a["valueInteger"]
            elif "valueString" in a:
                out[link] = a["valueString"]
            for nested in answers:  # answers may nest items
                if isinstance(nested, Mapping):
                    _leaf_answers(nested.get("item") or [], out)
        _leaf_answers(item.get("item") or [], out)


def is_fhir_document(raw: Any) -> bool:
    return isinstance(raw, Mapping) and raw.get("resourceType") in (
        "QuestionnaireResponse",
        "Bundle",
    )


def from_questionnaire_response(raw: Any) -> tuple[dict[str, Any], str | None]:
    """A QuestionnaireResponse (or a legpain Bundle holding one) back to a case's answers.

    Returns (answers, case name). The answers are not checked here: the engine names an
    unknown finding or a wrong value, as for any case. ``NotAQuestionnaireResponse`` if
    the document is not valid FHIR R4B or holds no QuestionnaireResponse.
    """
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise NotAQuestionnaireResponse(f"not JSON: {exc}") from None
    if not is_fhir_document(raw):
        raise NotAQuestionnaireResponse(
            "expected a FHIR QuestionnaireResponse or a Bundle holding one"
        )
    try:
        if raw["resourceType"] == "Bundle":
            Bundle.model_validate(raw)
            found = [
                e.get("resource")
                for e in raw.get("entry") or []
                if isinstance(e, Mapping)
                and isinstance(e.get("resource"), Mapping)
                and e["resource"].get("resourceType") == "QuestionnaireResponse"
            ]
            if not found:
                raise NotAQuestionnaireResponse("the Bundle holds no QuestionnaireResponse")
            raw = found[0]
        else:
            QuestionnaireResponse.model_validate(raw)
    except NotAQuestionnaireResponse:
        raise
    except Exception as exc:  # pydantic's ValidationError, with fhir.resources' messages
        first = str(exc).splitlines()
        raise NotAQuestionnaireResponse(
            f"not a valid FHIR R4B resource: {first[0] if first else type(exc).__name__}"
        ) from None
    out: dict[str, Any] = {}
    _leaf_answers(raw.get("item") or [], out)
    case = raw.get("id") if isinstance(raw.get("id"), str) else None
    return out, case


__all__ = [
    "NotAQuestionnaireResponse",
    "from_questionnaire_response",
    "is_fhir_document",
    "questionnaire",
    "questionnaire_response_items",
]
