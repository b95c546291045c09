"""Export: the assessment as FHIR R4B resources, and legpain's Questionnaire."""
