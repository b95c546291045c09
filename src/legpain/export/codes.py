"""Code systems, canonical URLs and the ICD-10 corrections the knowledge base carries."""

from __future__ import annotations

import os
from dataclasses import dataclass

# Canonical URLs are built from this setting, never from a request's Host header
# (which a client chooses). Without it, the default of `legpain serve`.
PUBLIC_BASE_URL_ENV = "LEGPAIN_PUBLIC_BASE_URL"
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"

ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CONDITION_VER_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# HL7 Symptoms IG (STU 1): profile, its category code system and the component codes.
SYMPTOM_PROFILE = "http://hl7.org/fhir/uv/symptoms/StructureDefinition/SymptomObservation"
SYMPTOM_CATEGORY = "http://hl7.org/fhir/uv/symptoms/CodeSystem/SymptomTemporary"
LOINC_SYMPTOM = ("75325-1", "Symptom")
LOINC_SEVERITY = ("64750-3", "Severity of symptoms")
LOINC_QUALITY = ("56823-8", "Problem quality or description")
LOINC_EXACERBATING = ("100752-5", "Exacerbating factors - Reported")
LOINC_ALLEVIATING = ("100753-3", "Alleviating factors - Reported")
LOINC_ONSET = ("99495-4", "Speed of condition onset")
# SNOMED CT severity qualifiers (the condition-severity value set).
SEVERITY_SNOMED = {
    "mild": ("255604002", "Mild"),
    "moderate": ("6736007", "Moderate"),
    "severe": ("24484000", "Severe"),
}
PAIN_IN_LOWER_LIMB = ("10601006", "Pain in lower limb")


def public_base_url() -> str:
    """The configured public base URL (``LEGPAIN_PUBLIC_BASE_URL``), without a trailing /."""
    return (os.environ.get(PUBLIC_BASE_URL_ENV) or DEFAULT_PUBLIC_BASE_URL).rstrip("/")


def fhir_base(base: str | None = None) -> str:
    return f"{(base or public_base_url()).rstrip('/')}/fhir"


def questionnaire_url(base: str | None = None) -> str:
    return f"{fhir_base(base)}/Questionnaire/legpain"


def finding_system(base: str | None = None) -> str:
    """legpain's own code system: the vocabulary's finding ids."""
    return f"{fhir_base(base)}/CodeSystem/legpain-finding"


def value_system(base: str | None = None) -> str:
    """Answers to choice findings and number bins: code ``<finding>.<value>``."""
    return f"{fhir_base(base)}/CodeSystem/legpain-answer"


def condition_system(base: str | None = None) -> str:
    return f"{fhir_base(base)}/CodeSystem/legpain-condition"


def rule_system(base: str | None = None) -> str:
    return f"{fhir_base(base)}/CodeSystem/legpain-triage-rule"


def triage_system(base: str | None = None) -> str:
    return f"{fhir_base(base)}/CodeSystem/legpain-triage-level"


def extension_url(name: str, base: str | None = None) -> str:
    return f"{fhir_base(base)}/StructureDefinition/{name}"


@dataclass(frozen=True)
class Correction:
    """A condition whose ICD-10-CM code in the knowledge base differs from the
    vocabulary's (which is informative, not contract), and why."""

    vocabulary: str | None
    corrected: str
    why: str


# Each is listed in docs/fhir.md. Most vocabulary codes are ICD-10-CM category headers
# that need more characters to be a valid code; a few named the wrong thing.
ICD10_CORRECTIONS: dict[str, Correction] = {
    "fracture": Correction(
        "M84.30",
        "S72.009A",
        "M84.30 (stress fracture, unspecified site) misses the dangerous half, a hip broken in "
        "a fall; S72.009A is a fracture of the neck of the femur, initial encounter, closed "
        "(the knowledge base had S72.00, a header)",
    ),
    "peripheral_artery_disease": Correction(
        "I70.22",
        "I70.229",
        "I70.22 is a header; I70.229 is atherosclerosis of native arteries of the extremities "
        "with rest pain, unspecified extremity",
    ),
    "deep_vein_thrombosis": Correction(
        "I82.40",
        "I82.409",
        "I82.40 is a header; I82.409 is acute thrombosis of unspecified deep veins of an "
        "unspecified lower extremity",
    ),
    "lumbar_spinal_stenosis": Correction(
        "M48.06",
        "M48.062",
        "M48.06 has been a header since 2017; M48.062 is lumbar stenosis with neurogenic "
        "claudication, the pattern legpain looks for",
    ),
    "sciatica": Correction(
        "M54.3", "M54.30", "M54.3 is a header; M54.30 is sciatica, unspecified side"
    ),
    "muscle_overuse": Correction(
        "M79.1", "M79.10", "M79.1 is a header; M79.10 is myalgia, unspecified site"
    ),
    "child_hip_disorder": Correction(
        "M91.9",
        "M91.90",
        "M91.9 is a header; M91.90 is juvenile osteochondrosis of hip and pelvis, "
        "unspecified, unspecified leg",
    ),
    "osteoid_osteoma": Correction(
        "D16.2",
        "D16.20",
        "D16.2 is a header; D16.20 is a benign neoplasm of the long bones of an unspecified "
        "lower limb",
    ),
    "compartment_syndrome": Correction(
        "M79.A2",
        "M79.A29",
        "M79.A2 is a header; M79.A29 is nontraumatic compartment syndrome of an unspecified "
        "lower extremity",
    ),
    "acute_compartment_syndrome": Correction(
        "T79.A2",
        "T79.A29A",
        "T79.A2 is a header; T79.A29A is traumatic compartment syndrome of an unspecified "
        "lower extremity, initial encounter",
    ),
    "medication_side_effect": Correction(
        "T88.7",
        "T88.7XXA",
        "T88.7 needs its placeholder and seventh character: T88.7XXA, unspecified adverse "
        "effect of a drug, initial encounter",
    ),
    "bone_tumour": Correction(
        "D48.0",
        "D49.2",
        "D48.0 is a tumour whose behaviour a pathologist found uncertain; before any biopsy the "
        "behaviour is unknown, which is D49.2 (neoplasm of unspecified behaviour of bone, soft "
        "tissue and skin)",
    ),
}

__all__ = [
    "ICD10_CM",
    "ICD10_CORRECTIONS",
    "PUBLIC_BASE_URL_ENV",
    "SNOMED",
    "Correction",
    "public_base_url",
    "questionnaire_url",
]
