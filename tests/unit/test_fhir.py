"""FHIR export: every Bundle validates with fhir.resources (R4B), a Bundle reads back to
the same assessment, the Questionnaire lists every finding, and the ICD-10 codes are
ICD-10-CM codes with the corrections documented."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from typer.testing import CliRunner

from legpain.cases import Case, load_cases
from legpain.cli.app import app
from legpain.engine import Engine
from legpain.export import codes
from legpain.export.fhir import CONDITION_THRESHOLD, build_bundle
from legpain.export.questionnaire import (
    NotAQuestionnaireResponse,
    from_questionnaire_response,
    questionnaire,
)
from legpain.knowledge import KnowledgeBase

# ICD-10-CM: a letter, two characters, then up to four after the dot.
ICD10_CM = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


def _vignettes(shared: Path) -> list[Case]:
    cases: list[Case] = []
    for p in sorted((shared / "vignettes").glob("*.yaml")):
        cases.extend(load_cases(p))
    assert len(cases) >= 40
    return cases


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_every_vignette_bundle_validates(engine: Engine, shared: Path) -> None:
    for case in _vignettes(shared):
        result = engine.assess(case.answers, case.id)
        bundle = build_bundle(result, "https://legpain.example")
        # Again from JSON text, as a receiving system would read it; and each resource alone.
        Bundle.model_validate_json(json.dumps(bundle))
        for entry in bundle["entry"]:
            res = entry["resource"]
            get_fhir_model_class(res["resourceType"]).model_validate(res)
            assert entry["fullUrl"].startswith("urn:uuid:")
        (patient,) = _resources(bundle, "Patient")
        assert set(patient) <= {"resourceType", "gender", "extension"}, case.id  # no identifiers
        conditions = _resources(bundle, "Condition")
        above = [c for c in result.conditions if c.probability > CONDITION_THRESHOLD]
        assert len(conditions) == len(above), case.id
        for cond in conditions:
            status = cond["verificationStatus"]["coding"][0]
            assert (status["system"], status["code"]) == (
                codes.CONDITION_VER_STATUS,
                "differential",
            )
            assert cond["asserter"]["reference"] == bundle["entry"][0]["fullUrl"]
            assert "not a diagnosis" in cond["note"][0]["text"]
        (risk,) = _resources(bundle, "RiskAssessment")
        total = sum(p["probabilityDecimal"] for p in risk["prediction"])
        assert total == pytest.approx(1.0, abs=1e-4), case.id
        (impression,) = _resources(bundle, "ClinicalImpression")
        assert impression["extension"][0]["valueCode"] == result.level
        rule_ids = [
            f["itemCodeableConcept"]["coding"][0]["code"]
            for f in impression.get("finding", [])
            if "itemCodeableConcept" in f
        ]
        assert rule_ids == [r.id for r in result.triage.rules], case.id
        assert _resources(bundle, "QuestionnaireResponse")
        # The typed narrative is never exported.
        assert case.narrative is None or case.narrative.strip()[:40] not in json.dumps(bundle)


def test_round_trip_gives_the_same_assessment(engine: Engine, shared: Path) -> None:
    for case in _vignettes(shared):
        before = engine.assess(case.answers, case.id)
        bundle = json.loads(json.dumps(build_bundle(before)))
        answers, _ = from_questionnaire_response(bundle)
        after = engine.assess(answers, case.id)
        assert after.to_dict() == before.to_dict(), case.id
        # The QuestionnaireResponse alone reads back the same way.
        (qr,) = _resources(bundle, "QuestionnaireResponse")
        assert from_questionnaire_response(qr)[0] == answers


def test_questionnaire_lists_every_finding(kb: KnowledgeBase) -> None:
    q = questionnaire(kb, "https://legpain.example/")
    Questionnaire.model_validate(q)
    assert q["url"] == "https://legpain.example/fhir/Questionnaire/legpain"
    leaves = {item["linkId"]: item for group in q["item"] for item in group["item"]}
    assert set(leaves) == set(kb.findings)
    for fid, f in kb.findings.items():
        item = leaves[fid]
        assert item["text"] == f.question
        if f.choices:
            assert [o["valueCoding"]["code"] for o in item["answerOption"]] == f.choices


def test_canonical_urls_come_from_the_setting(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(codes.PUBLIC_BASE_URL_ENV, "https://health.example.org/legpain/")
    bundle = build_bundle(engine.assess({"age": 40, "pain_calf": True}))
    (qr,) = _resources(bundle, "QuestionnaireResponse")
    assert qr["questionnaire"].startswith(
        "https://health.example.org/legpain/fhir/Questionnaire/legpain|"
    )


def test_a_bad_document_is_refused_with_a_reason() -> None:
    with pytest.raises(NotAQuestionnaireResponse, match="QuestionnaireResponse"):
        from_questionnaire_response({"resourceType": "Patient"})
    with pytest.raises(NotAQuestionnaireResponse, match="valid FHIR"):
        from_questionnaire_response({"resourceType": "QuestionnaireResponse", "status": 3})
    with pytest.raises(NotAQuestionnaireResponse, match="no QuestionnaireResponse"):
        from_questionnaire_response({"resourceType": "Bundle", "type": "collection"})


def test_icd10_codes_are_icd10_cm_and_corrections_are_documented(kb: KnowledgeBase) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "fhir.md").read_text()
    for cid, cond in kb.conditions.items():
        if cond.icd10 is not None:
            assert ICD10_CM.match(cond.icd10), (cid, cond.icd10)
        if cond.snomed is not None:
            assert cond.snomed.isdigit(), cid
    for cid, fix in codes.ICD10_CORRECTIONS.items():
        assert kb.conditions[cid].icd10 == fix.corrected, cid
        assert f"`{fix.corrected}`" in doc and cid in doc, cid
    assert kb.conditions["fracture"].icd10 != "M84.30"


def test_cli_assess_fhir_and_a_questionnaire_response_as_a_case(
    tmp_path: Path, engine: Engine
) -> None:
    runner = CliRunner()
    case = tmp_path / "case.yaml"
    case.write_text(
        "answers: {age: 67, smoker: true, pain_foot_toes: true, relieved_by_dangling_leg: true}\n"
    )
    made = runner.invoke(app, ["assess", "--fhir", str(case)])
    assert made.exit_code == 0, made.output
    bundle = json.loads(made.stdout)
    Bundle.model_validate(bundle)
    saved = tmp_path / "bundle.json"
    saved.write_text(json.dumps(bundle))
    (qr,) = _resources(bundle, "QuestionnaireResponse")
    (tmp_path / "qr.json").write_text(json.dumps(qr))
    back = runner.invoke(app, ["assess", "--json", str(saved), str(tmp_path / "qr.json")])
    assert back.exit_code == 0, back.output
    lines = [json.loads(line) for line in back.stdout.splitlines()]
    expected = engine.assess(
        {"age": 67, "smoker": True, "pain_foot_toes": True, "relieved_by_dangling_leg": True}
    )
    assert [r["triage"] for r in lines] == [expected.level, expected.level]
    assert [r["conditions"][0]["id"] for r in lines] == [expected.top.id] * 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "status": 3}))
    refused = runner.invoke(app, ["assess", str(bad)])
    assert refused.exit_code == 2 and "bad.json" in refused.output
