"""The adaptive interview over the engine."""

from legpain.interview._interview import MAX_QUESTIONS, RESPONDENTS, Interview, Question

__all__ = ["MAX_QUESTIONS", "RESPONDENTS", "Interview", "Question"]
