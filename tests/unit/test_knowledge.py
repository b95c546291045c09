"""The knowledge base: complete against the shared vocabulary, sourced, and strictly validated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from legpain.export.codes import ICD10_CORRECTIONS
from legpain.knowledge import KnowledgeBase, KnowledgeError, load_knowledge_from
from legpain.knowledge._loader import _data_root


def test_every_vocabulary_id_is_known(kb: KnowledgeBase, shared: Path) -> None:
    vocab = yaml.safe_load((shared / "spec" / "vocabulary.yaml").read_text())
    for c in vocab["conditions"]:
        cond = kb.conditions[c["id"]]
        assert cond.name == c["name"], c["id"]
        # The vocabulary's ICD-10 codes are informative, not contract: a documented
        # correction (legpain.export.codes, listed in docs/fhir.md) may replace one.
        fix = ICD10_CORRECTIONS.get(c["id"])
        if fix is None:
            assert cond.icd10 == c["icd10"], c["id"]
        else:
            assert fix.vocabulary == c["icd10"] and cond.icd10 == fix.corrected, c["id"]
    for f in vocab["findings"]:
        mine = kb.findings[f["id"]]
        assert mine.type == f["type"], f["id"]
        assert (mine.choices or None) == f.get("choices"), f["id"]


def test_packaged_vocabulary_matches_shared(shared: Path) -> None:
    packaged = Path(str(_data_root())) / "vocabulary.yaml"
    assert yaml.safe_load(packaged.read_text()) == yaml.safe_load(
        (shared / "spec" / "vocabulary.yaml").read_text()
    )


def test_every_number_has_a_source(kb: KnowledgeBase) -> None:
    for cond in kb.conditions.values():
        for sourced in (
            cond.prior,
            cond.care,
            *cond.likelihoods,
            *cond.modifiers,
            *cond.contributors,
        ):
            assert sourced.source in kb.sources, cond.id
            if kb.sources[sourced.source].kind == "judgement":
                assert sourced.judged, cond.id


def test_the_vocabulary_warning_signs_are_warning_findings(kb: KnowledgeBase, shared: Path) -> None:
    vocab = yaml.safe_load((shared / "spec" / "vocabulary.yaml").read_text())
    warning_group = {f["id"] for f in vocab["findings"] if f["group"] == "warning_signs"}
    assert warning_group <= kb.warning_findings


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(Path(str(_data_root())), dest)
    return dest


def _problems(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge_from(root)
    return info.value.problems


def test_unknown_key_is_rejected_and_named(data_copy: Path) -> None:
    p = data_copy / "conditions" / "sciatica.yaml"
    doc = yaml.safe_load(p.read_text())
    doc["likelihoods"][0]["sensitivity"] = 0.9
    p.write_text(yaml.safe_dump(doc))
    problems = _problems(data_copy)
    assert any("sciatica.yaml" in m and "sensitivity" in m for m in problems), problems


def test_bad_probability_is_named(data_copy: Path) -> None:
    p = data_copy / "conditions" / "cellulitis.yaml"
    doc = yaml.safe_load(p.read_text())
    doc["prior"]["p"] = 1.7
    p.write_text(yaml.safe_dump(doc))
    problems = _problems(data_copy)
    assert any("cellulitis.yaml" in m and "prior.p" in m for m in problems), problems


def test_unknown_source_and_missing_judgement_are_named(data_copy: Path) -> None:
    p = data_copy / "conditions" / "arthritis.yaml"
    doc = yaml.safe_load(p.read_text())
    doc["likelihoods"][0]["source"] = "my_memory"
    doc["likelihoods"][1]["source"] = "judgement"
    doc["likelihoods"][1].pop("judged", None)
    p.write_text(yaml.safe_dump(doc))
    problems = _problems(data_copy)
    assert any("unknown source 'my_memory'" in m for m in problems), problems
    assert any("arthritis.yaml" in m and "judged" in m for m in problems), problems


def test_distribution_must_sum_to_one(data_copy: Path) -> None:
    p = data_copy / "conditions" / "deep_vein_thrombosis.yaml"
    doc = yaml.safe_load(p.read_text())
    for lk in doc["likelihoods"]:
        if "dist" in lk:
            first = next(iter(lk["dist"]))
            lk["dist"][first] += 0.3
            break
    p.write_text(yaml.safe_dump(doc))
    assert any("sums to" in m for m in _problems(data_copy))


def test_rules_may_not_negate(data_copy: Path) -> None:
    p = data_copy / "triage.yaml"
    doc = yaml.safe_load(p.read_text())
    doc["rules"][0]["when"] = {"not": {"finding": "chest_pain"}}
    p.write_text(yaml.safe_dump(doc))
    assert any("may not use 'not'" in m for m in _problems(data_copy))


def test_never_advised_tag_is_rejected(data_copy: Path) -> None:
    p = data_copy / "advice" / "v1.yaml"
    doc = yaml.safe_load(p.read_text())
    doc["advice"][0]["tags"] = ["quinine"]
    p.write_text(yaml.safe_dump(doc))
    assert any("never advised" in m for m in _problems(data_copy))


def test_a_warning_sign_may_not_hide_in_a_checklist(data_copy: Path) -> None:
    p = data_copy / "interview.yaml"
    doc = yaml.safe_load(p.read_text())
    doc["checklists"][0]["items"].append("chest_pain")
    doc["checklists"][1]["items"].append(doc["checklists"][0]["items"][0])
    p.write_text(yaml.safe_dump(doc))
    problems = _problems(data_copy)
    assert any("'chest_pain' is a warning sign" in m for m in problems), problems
    assert any("is already in checklist" in m for m in problems), problems
