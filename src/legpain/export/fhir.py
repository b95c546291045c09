"""An assessment as a FHIR R4B Bundle, built and validated with fhir.resources.

The Bundle (type ``collection``) holds, for one person and one assessment:

- a minimal ``Patient``: sex (``gender``) and age (an extension), no name, no identifier;
- a ``QuestionnaireResponse`` of every answer, for legpain's Questionnaire;
- ``Observation``s for the reported symptoms, after the HL7 Symptoms IG's Symptom
  Observation: one for the leg pain itself (where it is, its quality, severity, onset,
  what makes it worse and what eases it, as components) and one per other symptom;
- one ``Condition`` per possible cause above 2%, ``verificationStatus`` differential,
  asserted and recorded by the person (through legpain), never confirmed;
- a ``RiskAssessment`` with the probability of every cause and of another cause;
- a ``ClinicalImpression`` with the triage level (an extension) and its reasons.

See docs/fhir.md for the mapping and why R4B. The typed narrative is never exported:
legpain never stores it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle

import legpain
from legpain.engine import Assessment, Value
from legpain.engine._assess import TRIAGE_ACTION
from legpain.export import codes
from legpain.export.questionnaire import questionnaire_response_items
from legpain.knowledge import KnowledgeBase

CONDITION_THRESHOLD = 0.02  # a cause above this is exported as a differential Condition
SELF_ASSESSED = (
    "Self-assessment: a possible cause the person reported through legpain, an offline "
    "self-assessment tool. It is not a diagnosis and no clinician has confirmed it."
)

# Findings the leg-pain Observation carries as components or its body site.
QUALITY = ("burning", "sharp_shooting", "aching_heavy", "throbbing", "crawling_tingling")
PLACES = (
    "pain_calf",
    "pain_thigh",
    "pain_shin",
    "pain_foot_toes",
    "pain_knee",
    "pain_outer_hip",
    "pain_groin",
)
SYMPTOM_GROUPS = ("the_pain", "timing", "signs", "warning_signs", "what_helps")


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def _loinc(pair: tuple[str, str]) -> dict[str, Any]:
    return {"coding": [_coding(codes.LOINC, *pair)], "text": pair[1]}


def _finding_concept(kb: KnowledgeBase, fid: str, base: str) -> dict[str, Any]:
    f = kb.findings[fid]
    return {"coding": [_coding(codes.finding_system(base), fid, f.label)], "text": f.label}


def condition_concept(kb: KnowledgeBase, cid: str, base: str) -> dict[str, Any]:
    """ICD-10-CM, SNOMED CT where the knowledge base is sure, and legpain's own id."""
    cond = kb.conditions[cid]
    coding = []
    if cond.icd10:
        coding.append(_coding(codes.ICD10_CM, cond.icd10))
    if cond.snomed:
        coding.append(_coding(codes.SNOMED, cond.snomed))
    coding.append(_coding(codes.condition_system(base), cid, cond.name))
    return {"coding": coding, "text": cond.name}


def _patient(answers: Mapping[str, Value], base: str) -> dict[str, Any]:
    p: dict[str, Any] = {"resourceType": "Patient"}
    sex = answers.get("sex")
    if sex in ("female", "male"):
        p["gender"] = sex
    age = answers.get("age")
    if isinstance(age, float | int) and not isinstance(age, bool):
        p["extension"] = [
            {
                "url": codes.extension_url("age-at-assessment", base),
                "valueAge": {
                    "value": float(age),
                    "unit": "years",
                    "system": codes.UCUM,
                    "code": "a",
                },
            }
        ]
    return p


def _symptom(
    patient: str, when: str, value: dict[str, Any], components: list[dict[str, Any]]
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "meta": {"profile": [codes.SYMPTOM_PROFILE]},
        "status": "final",
        "category": [
            {"coding": [_coding(codes.SYMPTOM_CATEGORY, "symptom", "Symptom")]},
            {"coding": [_coding(codes.OBSERVATION_CATEGORY, "survey", "Survey")]},
        ],
        "code": _loinc(codes.LOINC_SYMPTOM),
        "subject": {"reference": patient},
        "effectiveDateTime": when,
        "performer": [{"reference": patient}],
        "valueCodeableConcept": value,
    }
    if components:
        obs["component"] = components
    return obs


def _component(code: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "valueCodeableConcept": value}


def _pain_observation(
    kb: KnowledgeBase, answers: Mapping[str, Value], patient: str, when: str, base: str
) -> tuple[dict[str, Any], set[str]]:
    """The leg pain itself, with the Symptoms IG's components; and the findings it used."""
    used: set[str] = set()
    comps: list[dict[str, Any]] = []
    for fid in QUALITY:
        if answers.get(fid) is True:
            used.add(fid)
            comps.append(_component(_loinc(codes.LOINC_QUALITY), _finding_concept(kb, fid, base)))
    sev = answers.get("pain_severity")
    if isinstance(sev, float | int) and not isinstance(sev, bool):
        used.add("pain_severity")
        bins = kb.findings["pain_severity"].bins or []
        band = next((b.label for b in bins if b.at_least <= sev < b.below), None)
        if band is None and bins and sev >= bins[-1].at_least:
            band = bins[-1].label
        value: dict[str, Any] = {"text": f"{sev:g} out of 10" + (f" ({band})" if band else "")}
        if band in codes.SEVERITY_SNOMED:
            value["coding"] = [_coding(codes.SNOMED, *codes.SEVERITY_SNOMED[band])]
        comps.append(_component(_loinc(codes.LOINC_SEVERITY), value))
    onset = answers.get("onset")
    if isinstance(onset, str):
        used.add("onset")
        comps.append(
            _component(
                _loinc(codes.LOINC_ONSET),
                {"coding": [_coding(codes.value_system(base), onset)], "text": onset},
            )
        )
    for fid, v in answers.items():
        f = kb.findings[fid]
        if v is not True or f.group not in SYMPTOM_GROUPS:
            continue
        if fid.startswith("worse_"):
            kind = codes.LOINC_EXACERBATING
        elif fid.startswith("relieved_by_"):
            kind = codes.LOINC_ALLEVIATING
        else:
            continue
        used.add(fid)
        comps.append(_component(_loinc(kind), _finding_concept(kb, fid, base)))
    duration = answers.get("duration")
    if isinstance(duration, str):
        used.add("duration")
        comps.append(
            _component(
                _finding_concept(kb, "duration", base),
                {"coding": [_coding(codes.value_system(base), duration)], "text": duration},
            )
        )
    obs = _symptom(
        patient,
        when,
        {"coding": [_coding(codes.SNOMED, *codes.PAIN_IN_LOWER_LIMB)], "text": "Leg pain"},
        comps,
    )
    places = [kb.findings[p].label for p in PLACES if answers.get(p) is True]
    used |= {p for p in PLACES if answers.get(p) is True}
    side = answers.get("side")
    if isinstance(side, str):
        used.add("side")
    if places or isinstance(side, str):
        where = "; ".join(places) if places else "the leg"
        obs["bodySite"] = {"text": f"{where} ({side} side)" if isinstance(side, str) else where}
    return obs, used


def build_bundle(
    result: Assessment,
    base: str | None = None,
    now: datetime | None = None,
    complete: bool = True,
) -> dict[str, Any]:
    """The Bundle for one assessment, validated with fhir.resources (R4B), as JSON data."""
    kb = result.kb
    base = (base or codes.public_base_url()).rstrip("/")
    when = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    answers = result.answers
    entries: list[tuple[str, dict[str, Any]]] = []

    patient = _urn()
    entries.append((patient, _patient(answers, base)))

    qr = _urn()
    entries.append(
        (
            qr,
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": f"{codes.questionnaire_url(base)}|{legpain.__version__}",
                "status": "completed" if complete else "in-progress",
                "subject": {"reference": patient},
                "authored": when,
                "author": {"reference": patient},
                "source": {"reference": patient},
                "item": questionnaire_response_items(answers, kb, base),
            },
        )
    )

    observation_of: dict[str, str] = {}
    pain, used = _pain_observation(kb, answers, patient, when, base)
    pain_urn = _urn()
    entries.append((pain_urn, pain))
    for fid in used:
        observation_of[fid] = pain_urn
    for fid, v in answers.items():
        f = kb.findings[fid]
        if v is True and f.group in SYMPTOM_GROUPS and fid not in used:
            urn = _urn()
            observation_of[fid] = urn
            entries.append((urn, _symptom(patient, when, _finding_concept(kb, fid, base), [])))

    condition_of: dict[str, str] = {}
    for c in result.conditions:
        if c.probability <= CONDITION_THRESHOLD:
            continue
        urn = _urn()
        condition_of[c.id] = urn
        evidence = sorted(
            {observation_of[r.finding] for r in c.reasons_for if r.finding in observation_of}
        )
        cond: dict[str, Any] = {
            "resourceType": "Condition",
            "verificationStatus": {
                "coding": [_coding(codes.CONDITION_VER_STATUS, "differential", "Differential")]
            },
            "code": condition_concept(kb, c.id, base),
            "subject": {"reference": patient},
            "recordedDate": when,
            "recorder": {"reference": patient},
            "asserter": {"reference": patient},
            "note": [
                {
                    "text": f"{SELF_ASSESSED} Estimated probability "
                    f"{100 * c.probability:.1f}% (legpain {legpain.__version__})."
                }
            ],
        }
        if evidence:
            cond["evidence"] = [{"detail": [{"reference": u} for u in evidence]}]
        entries.append((urn, cond))

    risk = _urn()
    predictions = [
        {
            "outcome": condition_concept(kb, c.id, base),
            "probabilityDecimal": round(c.probability, 6),
        }
        for c in result.conditions
    ]
    predictions.append(
        {
            "outcome": {"text": "Another cause that legpain does not cover"},
            "probabilityDecimal": round(result.other_cause_probability, 6),
        }
    )
    entries.append(
        (
            risk,
            {
                "resourceType": "RiskAssessment",
                "status": "final" if complete else "preliminary",
                "subject": {"reference": patient},
                "occurrenceDateTime": when,
                "method": {
                    "text": f"legpain {legpain.__version__}: Bayesian model over its knowledge "
                    "base (possible causes of leg pain that is worse at night or lying down)"
                },
                "basis": [{"reference": qr}],
                "prediction": predictions,
                "note": [{"text": result.disclaimer}],
            },
        )
    )

    findings = []
    for rule in result.triage.rules:
        findings.append(
            {
                "itemCodeableConcept": {
                    "coding": [_coding(codes.rule_system(base), rule.id, rule.message)],
                    "text": rule.message,
                },
                "basis": f"{rule.kind.replace('_', ' ')}; level {rule.level}; "
                f"{rule.action} (source: {rule.source})",
            }
        )
    trigger = result.triage.condition
    if trigger is not None and trigger.condition in condition_of:
        findings.append(
            {
                "itemReference": {"reference": condition_of[trigger.condition]},
                "basis": f"probability {100 * trigger.probability:.1f}% reaches the level "
                f"{trigger.level} for this cause",
            }
        )
    notes = [{"text": SELF_ASSESSED.replace("a possible cause", "a triage level")}]
    if result.other_cause_note:
        notes.append({"text": result.other_cause_note})
    impression: dict[str, Any] = {
        "resourceType": "ClinicalImpression",
        "extension": [
            {"url": codes.extension_url("triage-level", base), "valueCode": result.level}
        ],
        "status": "completed" if complete else "in-progress",
        "code": {"text": "legpain triage: how soon to get care (self-assessment)"},
        "description": TRIAGE_ACTION[result.level],
        "subject": {"reference": patient},
        "effectiveDateTime": when,
        "date": when,
        "summary": f"Triage level {result.level}: {TRIAGE_ACTION[result.level]}",
        "problem": [{"reference": u} for u in condition_of.values()],
        "supportingInfo": [{"reference": qr}, {"reference": risk}],
        "note": notes,
    }
    if findings:
        impression["finding"] = findings
    entries.append((_urn(), impression))

    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": when,
        "entry": [{"fullUrl": u, "resource": r} for u, r in entries],
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


__all__ = ["CONDITION_THRESHOLD", "build_bundle", "condition_concept"]
