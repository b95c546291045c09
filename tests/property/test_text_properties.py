"""Properties of the free-text parser: never raises, deterministic, answers always valid."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from legpain.engine import parse_answers
from legpain.text import parse
from legpain.text._parse import MAX_CHARS, _quiet_punctuation, _reader

LAY = st.sampled_from(
    [
        "no",
        "not",
        "my",
        "left",
        "right",
        "both",
        "calf",
        "legs",
        "swollen",
        "maybe",
        "mum",
        "used to",
        "smoke",
        "67",
        "y/o",
        "for",
        "three",
        "weeks",
        "ago",
        ",",
        ".",
        "burning",
        "cramp",
        "isn't",
        "pins and needles",
        "sixty-seven",
        "year old",
        "8/10",
        "since",
        "son",
    ]
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    first = parse(text)
    assert parse_answers(first.answers) == first.answers
    assert parse(text).to_dict() == first.to_dict()
    for ev in first.evidence.values():
        assert 0 < ev.confidence <= 1
        assert text[ev.start : ev.end] == ev.text


@SETTINGS
@given(st.text())
def test_any_unicode(text: str) -> None:
    _check(text)


@SETTINGS
@given(st.lists(LAY, max_size=40).map(" ".join))
@example("sixty-seven weeks weeks weeks")  # a quieted repeat inside a span: quoted as typed
def test_lay_word_salad(text: str) -> None:
    _check(text)


@settings(max_examples=5, deadline=None)
@given(st.text(min_size=1, max_size=3))
def test_very_long_input(seed: str) -> None:
    text = ("my left calf is swollen, no chest pain. " + seed) * (MAX_CHARS // 30)
    result = parse(text)
    assert parse_answers(result.answers) == result.answers
    assert result.unplaced  # the part beyond the limit is reported, not silently dropped


# --- issue 11: warning signs in free text --------------------------------------------------

# A plain way to say each warning sign, as a person might (the sign, then its words).
WARNING_WORDS = [
    ("chest_pain", "chest pain"),
    ("short_of_breath", "shortness of breath"),
    ("coughing_blood", "coughing up blood"),
    ("fever", "a fever"),
    ("saddle_numbness", "numbness between my legs"),
    ("saddle_numbness", "numbness in my groin area"),
    ("bladder_bowel_change", "trouble passing urine"),
    ("weakness_worsening", "legs getting weaker by the day"),
    ("weakness_spreading_up", "weakness spreading up my legs"),
    ("cannot_bear_weight", "can't put weight on it"),
    ("dark_urine", "dark brown urine"),
    ("unusual_bruising_or_pallor", "unexplained bruising"),
    ("night_sweats", "drenching night sweats"),
    ("recent_injury", "twisted my ankle"),
]
DENIALS = ["no {}", "I don't have {}", "there is no {}", "never had {}", "I have no {} at all"]
CONTEXT = st.sampled_from(
    ["", "My left calf aches at night. ", "I'm 45. ", "My legs feel heavy, ", "Since Monday "]
)


def _interview_asks(fid: str, prefill: dict[str, object]) -> bool:
    from legpain import Interview

    iv = Interview(answers={**prefill, "age": 45, "sex": "female", "pregnant": False})
    for _ in range(60):
        q = iv.next_question()
        if q is None:
            return False
        if q.id == fid or fid in q.items:
            return True
        iv.answer(q.id, [] if q.items else "unknown")
    return False


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(WARNING_WORDS), st.sampled_from(DENIALS), CONTEXT)
def test_a_denied_warning_sign_is_still_asked(
    sign: tuple[str, str], denial: str, context: str
) -> None:
    """A misread negation must never hide an emergency: a sign the text denies is not
    pre-filled as "no", and the interview asks it."""
    fid, words = sign
    parsed = parse(context + denial.format(words) + ".")
    assert parsed.prefill().get(fid) is not False
    if fid not in parsed.prefill():
        assert _interview_asks(fid, parsed.prefill())


def _typo(word: str, kind: int, at: int) -> str:
    i = 1 + at % (len(word) - 2)  # never the first letter, never past the end
    if kind == 0:
        return word[:i] + word[i] + word[i:]  # a doubled letter
    if kind == 1:
        return word[:i] + word[i + 1 :]  # a dropped letter
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
    return word[:i] + ("e" if word[i] != "e" else "a") + word[i + 1 :]  # a wrong letter


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(WARNING_WORDS),
    st.integers(0, 3),
    st.integers(0, 50),
    st.integers(0, 10),
    CONTEXT,
)
def test_a_misspelt_warning_sign_is_still_caught(
    sign: tuple[str, str], kind: int, at: int, which: int, context: str
) -> None:
    """One typo in one long word (6+ letters) of a warning sign's words still gives the sign
    (read as present, or as "please check")."""
    fid, words = sign
    parts = words.split()
    long = [i for i, w in enumerate(parts) if len(w) >= 6 and w.isalpha()]
    if long:
        i = long[which % len(long)]
        parts[i] = _typo(parts[i], kind, at)
    text = context + "I have " + " ".join(parts) + "."
    parsed = parse(text)
    assert parsed.answers.get(fid) is True or fid in parsed.to_check, text


def test_every_one_typo_variant_of_a_warning_sign_is_caught() -> None:
    """Exhaustively, beside the sampled test above: every kind of typo at every inner
    position of every long word of every warning sign's words (a few hundred texts), so
    that a lexicon change that loses one is seen whatever the random draw."""
    missed = []
    for fid, words in WARNING_WORDS:
        parts = words.split()
        for i, w in enumerate(parts):
            if len(w) < 6 or not w.isalpha():
                continue
            for kind in range(4):
                for at in range(len(w) - 2):
                    typo = _typo(w, kind, at)
                    if typo == w:
                        continue
                    text = "I have " + " ".join([*parts[:i], typo, *parts[i + 1 :]]) + "."
                    parsed = parse(text)
                    if parsed.answers.get(fid) is not True and fid not in parsed.to_check:
                        missed.append(text)
    assert missed == []


@SETTINGS
@given(
    st.sampled_from(["m ", "f ", ";", ":", "?", ". ", "no ", "calf ", "he's ", "30 ", "a1 "]),
    st.integers(min_value=1, max_value=400),
    st.text(max_size=20),
)
def test_runs_are_quieted_in_place(unit: str, n: int, tail: str) -> None:
    """A run of one mark or word ("no no no", ";;;;") keeps its first and becomes spaces:
    the text keeps its length, so every offset still points into the text as typed."""
    text = (unit * (n // len(unit) + 1))[:n] + tail
    quiet = _quiet_punctuation(text)
    assert len(quiet) == len(text)
    assert all(q == c or q == " " for q, c in zip(quiet, text, strict=True))


def test_no_language_regex_can_backtrack_over_a_run_of_spaces() -> None:
    """The age, sex, side and duration regexes run over the whole text; an unbounded
    ``\\s*`` or ``\\W+`` beside another took 7 s on 4,000 characters of "m m m". Every one
    is compiled with bounded gaps (benchmarks/parser.py measures the cost)."""
    reader = _reader("en")
    compiled = [*reader.age, *reader.child, *reader.sex, *reader.durations, reader.blockers]
    compiled += [*reader.side.values(), *reader.duration_phrases.values(), reader.symptom]
    for pattern in compiled:
        assert not re.search(r"(?<!\\)\\[sW][*+]", pattern.pattern), pattern.pattern[:80]
