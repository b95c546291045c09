"""Free text -> findings: spaCy (blank, rule-based, offline) + medspaCy target rules and ConText.

The pipeline: tokenizer -> sentencizer -> spelling (token norms for near-miss words) ->
medspaCy TargetMatcher (the lexicon's phrases and patterns, overlapping spans kept) ->
medspaCy ConText (negation, hedging, hypothetical, historical, family, other people).
Ages, sex, sides, durations and severity are read by the language's patterns. A negated
finding becomes ``false``; hedged, hypothetical and other people's findings are set aside.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from legpain.engine import Value, parse_answers
from legpain.engine.triage import RANK
from legpain.knowledge import KnowledgeBase, load_knowledge

if TYPE_CHECKING:  # spaCy and medspaCy load on first parse, not on `import legpain`
    from spacy.language import Language as SpacyLanguage
    from spacy.tokens import Doc, Span

    from legpain.engine import Engine

from legpain.text._lexicon import DEFAULT_LANGUAGE, Entry, Language, Lexicon, load_lexicon

# medspaCy warns on every call when one of its inner matchers has no rules (ours use one kind).
warnings.filterwarnings("ignore", message=r"\[W036\]")

MAX_CHARS = 20_000  # longer input is read up to here; the rest is reported as unplaced
CHUNK_CHARS = 300  # the pipeline reads one sentence (or piece of a long one) at a time
ALWAYS_READ = 600  # characters always read in full (results do not depend on load)
TIME_BUDGET_S = 0.020  # after this, chunks are left unread (warning signs: a quick scan)
CHECK_BELOW = 0.7  # a reading less sure than this is "please check", not an answer
CONFLICTS: tuple[tuple[tuple[str, Value], tuple[str, Value]], ...] = (
    (("onset", "sudden"), ("duration", "months")),
    (("onset", "gradual"), ("duration", "hours")),
    (("swelling_one_leg", True), ("swelling_both_legs", True)),
)
SPAN_GROUP = "legpain_targets"
FUZZY_CUTOFF = 0.88
FUZZY_MIN_LENGTH = 5
SPELLING_KEY = "legpain_spelling"
FUZZY_CONFIDENCE_FACTOR = 0.85
HISTORY_GROUPS = frozenset({"history", "lifestyle"})
# A medicine stopped: the words before it in its sentence ("they stopped the statin",
# "I came off the warfarin", "was taken off my water tablets").
STOPPED_BEFORE = re.compile(
    r"\b(?:stopped|stopping|came\s+off|come\s+off|taken\s+off|took\s+(?:me|him|her)\s+off"
    r"|discontinued|no\s+longer\s+(?:on|taking))\b[^.;]{0,30}$",
    re.IGNORECASE,
)
# ... but not a break ("stopped the simvastatin for two weeks", "stopped it for a while to see")
STOPPED_FOR_A_WHILE = re.compile(
    r"[^.;]{0,25}?\b(?:for\s+(?:a|an|one|two|three|four|six|\d+|a\s+few|a\s+couple\s+of|a\s+while)"
    r"(?:\s+(?:days?|weeks?|months?))?|temporarily|to\s+see\s+(?:if|whether)|as\s+a\s+trial)\b",
    re.IGNORECASE,
)
SINGLE_LEG = re.compile(
    r"\b(?:left|right|one|that|this|the|my|his|her)\s+(?:\w+\s+)?(?:leg|calf|ankle|foot|shin|thigh)\b",
    re.IGNORECASE,
)
# A singular leg part without a determiner, for a denial ("no calf swelling").
# "no swelling in either leg" is both.
BARE_LEG = re.compile(
    r"(?<!either\s)(?<!neither\s)(?<!each\s)(?<!any\s)\b(?:leg|calf|ankle|foot|shin|thigh)\b",
    re.IGNORECASE,
)
# A sentence of a few words asked as a question is a guess, not a finding.
SHORT_QUESTION = re.compile(r"(?:[\w'’/-]+[\s,]+){0,3}[\w'’/-]+\s*\?+")
# The words that may sit between places in a list of them.
PLACE_FILLER = re.compile(
    r"\b(?:the|my|his|her|their|both|of|and|n|or|front|fronts|back|backs|side|sides|top|tops|"
    r"bottom|outer|outside|inner|inside|upper|lower|behind|mostly|mainly|especially|"
    r"the worst|worst|too|also|left|right|in|on|around|round)\b",
    re.IGNORECASE,
)
# "my daughter says ...": the relative is speaking about the writer.
SPEAKS = re.compile(
    r"\s+(?:says|said|thinks|reckons|made\s+me|wants\s+me|told\s+me|keeps\s+(?:saying|telling))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    """Why a finding got its value: the words, where they are, and how sure the parser is."""

    finding: str
    value: Value
    text: str
    start: int
    end: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding": self.finding,
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class SetAside:
    """A finding that was mentioned but not asserted of the person, and why."""

    finding: str
    text: str
    start: int
    end: int
    reason: str  # uncertain | hypothetical | family | other_person | past | conflicting

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding": self.finding,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Check:
    """A reading to confirm ("please check"): too unsure, or at odds with another reading.

    ``value`` is the likely answer, to show; the interview still asks the question where
    the answer could raise the triage level."""

    finding: str
    value: Value
    text: str
    start: int
    end: int
    confidence: float
    reason: str  # low_confidence | conflict
    conflicts_with: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding": self.finding,
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "conflicts_with": self.conflicts_with,
        }


@dataclass(frozen=True)
class ParseResult:
    """What the parser understood. ``answers`` has exactly the shape of a case's answers.

    ``answers`` holds every reading (the likely value where unsure); ``findings`` only the
    confident ones; ``to_check`` the unsure or conflicting ones, each with its likely value.
    """

    text: str
    language: str
    answers: dict[str, Value]
    evidence: dict[str, Evidence]
    set_aside: list[SetAside] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    to_check: dict[str, Check] = field(default_factory=dict)
    truncated: bool = False  # the time budget cut reading short (unread parts are unplaced)

    @property
    def findings(self) -> dict[str, Value]:
        """The readings made with confidence (no "please check")."""
        return {f: v for f, v in self.answers.items() if f not in self.to_check}

    def prefill(self, kb: KnowledgeBase | Engine | None = None) -> dict[str, Value]:
        """The answers an interview starts from: the confident readings, except a denied
        warning sign, plus an unsure reading only where no other answer to it could raise
        the triage level. A denied warning sign is asked again by the warning-sign screen,
        because a misread negation must never hide an emergency (a sign read as present is
        kept: erring that way only raises the level, and the person can correct it)."""
        engine = _engine_for(kb)
        signs = engine.kb.warning_findings
        base = {f: v for f, v in self.findings.items() if not (f in signs and v is False)}
        out = dict(base)
        for fid, check in self.to_check.items():
            if fid in signs and check.value is False:
                continue
            if not _could_raise(engine, base, fid, check.value):
                out[fid] = check.value
        return out

    def suggested(self, kb: KnowledgeBase | Engine | None = None) -> dict[str, Value]:
        """The unsure readings the interview asks, with the likely answer to show."""
        kept = self.prefill(kb)
        return {f: c.value for f, c in self.to_check.items() if f not in kept}

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "answers": dict(self.answers),
            "findings": self.findings,
            "evidence": {k: v.to_dict() for k, v in self.evidence.items()},
            "to_check": {k: v.to_dict() for k, v in self.to_check.items()},
            "set_aside": [s.to_dict() for s in self.set_aside],
            "unplaced": list(self.unplaced),
            "truncated": self.truncated,
        }


def _engine_for(kb: KnowledgeBase | Engine | None) -> Engine:
    from legpain.engine import Engine, default_engine

    if isinstance(kb, Engine):
        return kb
    engine = default_engine()
    if kb is None or kb is engine.kb:
        return engine
    return _engine_of(kb)


_ENGINES: dict[int, Engine] = {}


def _engine_of(kb: KnowledgeBase) -> Engine:
    from legpain.engine import Engine

    if id(kb) not in _ENGINES:
        _ENGINES.clear()
        _ENGINES[id(kb)] = Engine(kb)
    return _ENGINES[id(kb)]


def _could_raise(engine: Engine, base: dict[str, Value], fid: str, likely: Value) -> bool:
    """Whether another answer to ``fid`` than the likely one gives a more urgent level."""
    f = engine.kb.findings[fid]
    if f.type == "number":
        return True  # an age or a score could be anything: ask
    alternatives: list[Value] = [True, False] if f.type == "boolean" else list(f.choices or [])
    try:
        with_likely = engine.assess({**base, fid: likely}).level
        levels = [engine.assess({**base, fid: alt}).level for alt in alternatives if alt != likely]
    except Exception:  # unsure what the engine makes of it: ask
        return True
    return any(RANK[level] > RANK[with_likely] for level in levels)


@dataclass
class _Mention:
    finding: str
    value: Value
    start: int
    end: int
    text: str
    confidence: float
    entry: Entry | None = None
    reason: str | None = None  # set when the mention is not asserted


class _Reader:
    """One language's pipeline and patterns, built once."""

    def __init__(self, lexicon: Lexicon, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.lexicon = lexicon
        lang = lexicon.language
        self.language = lang
        self.patterns: list[tuple[re.Pattern[str], str, frozenset[str]]] = []
        self.nlp = self._build(lexicon)
        # For the quick scan of unread chunks: warning-sign phrases as token n-grams (a set
        # lookup per n-gram) and their patterns.
        self.warning_phrases: dict[tuple[str, ...], str] = {}
        self.warning_patterns: list[tuple[re.Pattern[str], str, frozenset[str]]] = []
        for entry in lexicon.entries:
            if entry.finding in kb.warning_findings and entry.value is True:
                for phrase in entry.phrases:
                    self.warning_phrases[tuple(WORD.findall(phrase.lower()))] = entry.finding
                self.warning_patterns.extend(
                    (_compiled(p), entry.finding, frozenset(_literals(p))) for p in entry.patterns
                )
        self.warning_ngram: dict[str, int] = {}  # first word -> longest phrase starting so
        for key in self.warning_phrases:
            if key:
                self.warning_ngram[key[0]] = max(self.warning_ngram.get(key[0], 0), len(key))
        self.spelling = _Spelling(_lexicon_words(lexicon), lang.known_words)
        self.literal_words = frozenset(
            w for _, _, words in (*self.patterns, *self.warning_patterns) for w in words
        )
        # The literal words by their first three letters (a word found in a text has its
        # first three letters there too), so a chunk is checked only for the words whose
        # beginning it holds; shorter words are always checked.
        self.literal_index: dict[str, list[str]] = {}
        self.short_literals = [w for w in self.literal_words if len(w) < 3]
        for w in sorted(self.literal_words):
            if len(w) >= 3:
                self.literal_index.setdefault(w[:3], []).append(w)
        flags = re.IGNORECASE
        self.num = _number_regex(lang.number_words)
        sub = self._sub
        self.age = [_compiled(sub(p), flags) for p in lang.age_patterns]
        self.child = [_compiled(sub(p), flags) for p in lang.subject_child_patterns]
        self.sex = [_compiled(sub(p), flags) for p in lang.sex_patterns]
        self.severity = [_compiled(sub(p), flags) for p in lang.severity_patterns]
        self.symptom = re.compile(sub("|".join(lang.symptom_words)), flags)
        self.pain = re.compile(sub("|".join(lang.pain_words)), flags)
        self.needs_in_account = [
            (
                rule.finding,
                re.compile(rule.when, flags) if rule.when else None,
                re.compile("|".join(rule.needs), flags),
            )
            for rule in lexicon.needs_in_account
        ]
        self.limb = re.compile(sub("|".join(lang.limb_words)), flags)
        self.unless: dict[int, tuple[list[re.Pattern[str]], list[re.Pattern[str]]]] = {}
        self.spelled: dict[int, frozenset[str]] = {}
        self.other_place = (
            re.compile(sub("|".join(lang.other_places)), flags) if lang.other_places else None
        )
        self.side = {k: re.compile(sub("|".join(v)), flags) for k, v in lang.side_words.items()}
        self.side_not_limb = re.compile(sub("|".join(lang.side_not_limb)), flags)
        self.durations = [re.compile(sub(p), flags) for p in lang.duration.patterns]
        self.duration_phrases = {
            k: re.compile(sub("|".join(v)), flags) for k, v in lang.duration.phrases.items()
        }
        self.blockers = re.compile(sub("|".join(lang.duration_blockers)), flags)
        self.warning_cue = re.compile(sub("|".join(lang.warning_cues)), flags)
        self.plural_limb = re.compile(
            r"\b(?:legs|feet|calves|calfs|thighs|shins|ankles|knees|lower legs)\b", flags
        )

    def _sub(self, pattern: str) -> str:
        return _bounded(pattern.replace("NUM", self.num))

    def _build(self, lexicon: Lexicon) -> SpacyLanguage:
        import spacy
        from medspacy.context import ConText, ConTextRule
        from medspacy.target_matcher import TargetMatcher, TargetRule

        nlp = spacy.blank(lexicon.language.language)
        nlp.add_pipe("sentencizer")
        matcher: TargetMatcher = nlp.add_pipe(
            "medspacy_target_matcher",
            config={
                "result_type": "group",
                "span_group_name": SPAN_GROUP,
                "prune": False,
                "phrase_matcher_attr": "NORM",
            },
        )
        rules: list[TargetRule] = []
        for index, entry in enumerate(lexicon.entries):
            label = f"e{index}"
            rules.extend(TargetRule(phrase, label) for phrase in entry.phrases)
            # Regexes run here, once over the text (medspaCy's regex matcher rebuilds the
            # doc's text for every pattern, which made long input slow).
            self.patterns.extend(
                (_compiled(p), label, frozenset(_literals(p))) for p in entry.patterns
            )
        matcher.add(rules)
        context: ConText = nlp.add_pipe(
            "medspacy_context",
            config={
                "rules": None,
                "input_span_type": "group",
                "span_group_name": SPAN_GROUP,
                "phrase_matcher_attr": "NORM",
                "span_attrs": None,
            },
        )
        context_rules: list[ConTextRule] = []
        for rule in lexicon.language.context:
            terminated = set(rule.terminated_by) or None
            for phrase in rule.phrases:
                context_rules.append(
                    ConTextRule(
                        phrase,
                        rule.category,
                        direction=rule.direction,
                        max_scope=rule.max_scope,
                        terminated_by=terminated,
                    )
                )
            for seq in rule.patterns:
                tokens = [{"LOWER": {"REGEX": part}} for part in seq.split()]
                context_rules.append(
                    ConTextRule(
                        seq,
                        rule.category,
                        pattern=tokens,
                        direction=rule.direction,
                        max_scope=rule.max_scope,
                        terminated_by=terminated,
                    )
                )
        context.add(context_rules)
        return nlp

    # --- reading -------------------------------------------------------------------------

    def read(self, text: str, budget: float = TIME_BUDGET_S) -> ParseResult:
        # The budget counts this thread's own CPU time, not the clock: on a busy machine
        # (other processes, other requests' threads) the same text is read the same way.
        started = time.thread_time()
        clean = _quiet_punctuation(text.replace("\x00", " "))
        head, tail = clean[:MAX_CHARS], clean[MAX_CHARS:]
        chunks = _chunks(head)
        # Warning signs first: a chunk with a warning-sign word is always read; the others
        # are read while the time budget lasts (each chunk costs about the same, so the whole
        # is linear in the length of the text).
        cued = [i for i, (_, c) in enumerate(chunks) if self.warning_cue.search(c)]
        order = cued + [i for i in range(len(chunks)) if i not in set(cued)]
        cued_set = set(cued)
        mentions: list[_Mention] = []
        sentences: list[tuple[int, str]] = []
        unread: list[int] = []
        for i in order:
            offset, chunk = chunks[i]
            if offset + len(chunk) > ALWAYS_READ and time.thread_time() - started > budget:
                unread.append(i)
                if i in cued_set:  # out of time: still look for warning signs, cheaply
                    mentions.extend(self._warning_scan(chunk, offset))
                continue
            doc = self.nlp.make_doc(chunk)
            self.spelling(doc)  # before matching, so phrases match near-miss spellings
            for name, component in self.nlp.pipeline:
                doc = component(doc)
                if name == "medspacy_target_matcher":
                    self._match_patterns(doc)
            found = self._lexicon_mentions(doc)
            for m in found:
                m.start += offset
                m.end += offset
            mentions.extend(found)
            sentences.extend((offset + s.start_char, s.text) for s in doc.sents)
        mentions.sort(key=lambda m: (m.start, m.end, m.finding))
        sentences.sort()
        read_text = _blank_out(head, [chunks[i] for i in unread])
        mentions = self._in_account(mentions, read_text)
        child = self._subject_child(read_text)
        mentions.extend(self._numbers_and_choices(read_text, sentences, mentions, child))
        for m in mentions:
            # The words as typed: a repeat quieted above ("weeks weeks weeks") or an unread
            # chunk is blank in what was read, but the evidence quotes the person.
            m.text = text[m.start : m.end]
        mentions = self._stopped_later(mentions, read_text)
        answers, evidence, set_aside = self._decide(mentions)
        # A value the engine would refuse is a parser bug; drop it rather than return it.
        answers = _valid_only(answers, self.kb)
        evidence = {k: v for k, v in evidence.items() if k in answers}
        to_check = _to_check(answers, evidence)
        used = [(m.start, m.end) for m in mentions]
        unplaced = _unplaced(sentences, used)
        unplaced.extend(chunks[i][1].strip() for i in sorted(unread) if chunks[i][1].strip())
        if tail.strip():
            unplaced.append(tail.strip()[:200] + ("…" if len(tail.strip()) > 200 else ""))
        return ParseResult(
            text=text,
            language=self.language.language,
            answers=answers,
            evidence=evidence,
            set_aside=set_aside,
            unplaced=unplaced,
            to_check=to_check,
            truncated=bool(unread),
        )

    def _stopped_later(self, mentions: list[_Mention], text: str) -> list[_Mention]:
        """A medicine said to be stopped AFTER it was named as taken is not taken now: "started
        me on a statin ... they stopped the statin", "from rosuvastatin, and I stopped the
        statin then". The last word on the same medicine stands; another drug named later as
        stopped ("on atorvastatin; I stopped simvastatin last year") leaves it alone."""
        stops = [
            m
            for m in mentions
            if m.reason == "past"
            and m.value is True
            and self.kb.findings[m.finding].group == "medicines"
            and STOPPED_BEFORE.search(_sentence_before(text, m.start))
            and not STOPPED_FOR_A_WHILE.match(text, m.end)
        ]
        if not stops:
            return mentions
        out: list[_Mention] = []
        for m in mentions:
            if m.reason is None and m.value is True:
                said = m.text.lower()
                for stop in stops:
                    words = stop.text.lower()
                    if (
                        stop.finding == m.finding
                        and stop.start > m.start
                        and (words in said or said in words)
                    ):
                        m = replace(m, reason="past")
                        break
            out.append(m)
        return out

    def _in_account(self, mentions: list[_Mention], text: str) -> list[_Mention]:
        """Drop a true reading whose finding needs words the account lacks, where it names
        other parts of the leg ("my thighs ache and stairs are a struggle" is no hip or knee
        pain); an account naming no part of the leg at all keeps it."""
        if not self.needs_in_account or not self.limb.search(text):
            return mentions
        rules = [r for r in self.needs_in_account if not r[2].search(text)]
        if not rules:
            return mentions

        def lacking(m: _Mention) -> bool:
            return m.value is True and any(
                fid == m.finding and (when is None or when.search(m.text)) for fid, when, _ in rules
            )

        return [m for m in mentions if not lacking(m)]

    def _present(self, lower: str) -> set[str]:
        """The patterns' words found in a text, each looked for once."""
        found = {w for w in self.short_literals if w in lower}
        index = self.literal_index
        for start in {lower[i : i + 3] for i in range(len(lower) - 2)} & index.keys():
            found.update(w for w in index[start] if w in lower)
        return found

    def _warning_scan(self, chunk: str, offset: int) -> list[_Mention]:
        """Warning signs in a chunk left unread for lack of time: phrases and regexes only,
        so unsure (confidence below CHECK_BELOW: "please check"), and a clause with a
        negation gives nothing (the interview's warning-sign screen asks every sign not
        answered)."""
        lower = chunk.lower() if len(chunk.lower()) == len(chunk) else chunk
        found: list[tuple[int, int, str]] = []
        words = list(WORD.finditer(lower))
        tokens = [w.group(0) for w in words]
        for i, token in enumerate(tokens):
            for n in range(1, min(self.warning_ngram.get(token, 0), len(tokens) - i) + 1):
                fid = self.warning_phrases.get(tuple(tokens[i : i + n]))
                if fid is not None:
                    found.append((words[i].start(), words[i + n - 1].end(), fid))
        present = self._present(lower)
        for pattern, fid, literals in self.warning_patterns:
            if literals and present.isdisjoint(literals):
                continue  # every match holds one of these words: none here
            found.extend((m.start(), m.end(), fid) for m in pattern.finditer(lower))
        out: list[_Mention] = []
        for start, end, fid in found:
            clause = re.split(r"[,;:.!?]|\bbut\b", lower[max(0, start - 60) : start])[-1]
            if _negated_clause(clause):  # a negation inside the phrase is part of it
                continue
            out.append(_Mention(fid, True, offset + start, offset + end, chunk[start:end], 0.6))
        return out

    def _match_patterns(self, doc: Doc) -> None:
        """The lexicon's regexes over the lower-cased text, with misspelt words replaced by
        their correction (so "cant urinnate" is read as "cant urinate")."""
        from spacy.tokens import Span

        changed = set(doc.user_data.get(SPELLING_KEY, ()))
        starts: list[int] = []  # character where each token starts in `lower`
        if changed:
            parts: list[str] = []
            at = 0
            for token in doc:
                word = token.norm_ if token.i in changed else token.lower_
                if len(word) != len(token.text):
                    word = word if token.i in changed else token.text
                starts.append(at)
                parts.append(word + token.whitespace_)
                at += len(word) + len(token.whitespace_)
            lower = "".join(parts)
        else:
            lower = doc.text.lower()
            if len(lower) != len(doc.text):  # a rare letter whose lower case is longer
                lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in doc.text)
        spans = list(doc.spans[SPAN_GROUP]) if SPAN_GROUP in doc.spans else []
        present = self._present(lower)
        for pattern, label, literals in self.patterns:
            if literals and present.isdisjoint(literals):
                continue  # every match holds one of these words: none here
            for m in pattern.finditer(lower):
                if changed:
                    first = bisect.bisect_right(starts, m.start()) - 1
                    last = bisect.bisect_left(starts, m.end())
                    if last > first >= 0:
                        spans.append(Span(doc, first, last, label=label))
                    continue
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None and len(span):
                    spans.append(Span(doc, span.start, span.end, label=label))
        doc.spans[SPAN_GROUP] = spans

    def _lexicon_mentions(self, doc: Doc) -> list[_Mention]:
        spans: list[Span] = list(doc.spans[SPAN_GROUP]) if SPAN_GROUP in doc.spans else []
        entries = self.lexicon.entries
        found: list[tuple[Span, Entry]] = [(s, entries[int(s.label_[1:])]) for s in spans]
        # Keep the longest span per entry target where spans of the same finding overlap
        # ("non-smoker" over "smoker"), and drop words absorbed by another finding's phrase.
        kept: list[tuple[Span, Entry]] = []
        # Only a span that starts at or before this one and is long enough can hold it
        # (looked up by start token, so long texts do not cost pairs of all spans).
        by_start: dict[int, list[tuple[Span, Entry]]] = {}
        for item in found:
            by_start.setdefault(item[0].start, []).append(item)
        longest = max((sp.end - sp.start for sp, _ in found), default=0)
        for span, entry in found:
            holders = (
                item
                for st in range(max(0, span.start - longest), span.start + 1)
                for item in by_start.get(st, ())
                if item[0].end >= span.end
            )
            if any(_absorbed(span, entry, other, other_entry) for other, other_entry in holders):
                continue
            kept.append((span, entry))
        mentions: list[_Mention] = []
        has_symptom: dict[int, bool] = {}
        for span, entry in kept:
            sentence = span.sent
            if sentence.start not in has_symptom:
                has_symptom[sentence.start] = bool(self.pain.search(sentence.text))
            if entry.needs_symptom and not has_symptom[sentence.start]:
                continue
            if entry.needs_symptom and not self._pain_near(sentence, span):
                continue
            if entry.needs_symptom and _boundary(sentence, span):
                continue  # "numb from the knee down", "runs as far as the knee"
            if entry.needs_symptom and _place_of_other(sentence, span):
                continue  # "the skin on that shin is shiny", "the x-ray showed a spot in his shin"
            if (entry.unless_before or entry.unless_after) and self._other_sense(
                entry, sentence, span
            ):
                continue  # "hay fever", "temperature 37.6", "lost weight on purpose"
            if entry.needs_limb and not (
                self.limb.search(sentence.text) or self._about_leg(sentence)
            ):
                continue
            if entry.needs_limb and self._other_place_complaint(sentence, span):
                continue  # "my lower tummy aches", "my back has ached": another part's
            # A trigger inside the phrase itself ("can't keep my legs still") modifies nothing.
            cats = {
                m.category
                for m in span._.modifiers
                if (m.modifier_span[1] <= span.start or m.modifier_span[0] >= span.end)
                and not _clause_between(doc, m.modifier_span, (span.start, span.end))
            }
            negated = "NEGATED_EXISTENCE" in cats
            if not negated and entry.value is True and self._wildcard_negation(entry, span):
                negated = True  # round 11: "it's not hot" read by "it's (\w+ )?hot"
            if negated and entry.value is False:
                negated = _negates_stated_negative(doc, span)
            if negated and entry.needs_symptom and not self._denies_place(doc, span):
                continue  # "no hair on my toes", "doesn't go below the knee": no pain denied
            if negated and self._new_now(entry, sentence, span):
                continue  # "I've never had swelling before": it is new, not denied
            if negated and entry.needs_symptom and _conditional_after(sentence, span):
                continue  # "no pain in my calves when I walk": denies the pain of walking only
            reason = self._reason(entry, cats)
            if reason is None and SHORT_QUESTION.fullmatch(sentence.text.strip()):
                reason = "hypothetical"  # "Pulled muscle?", "Compartment syndrome?": a guess
            fuzzy = any(t.norm_ != t.lower_ for t in span if t.is_alpha and t.norm_ != "not")
            confidence = entry.confidence * (FUZZY_CONFIDENCE_FACTOR if fuzzy else 1.0)
            targets = self._targets(entry, span, sentence, negated)
            for fid in targets:
                value: Value = entry.value
                if negated:
                    if not isinstance(value, bool) or value is False:
                        reason = reason or "uncertain"
                    else:
                        value = False
                mentions.append(
                    _Mention(
                        finding=fid,
                        value=value,
                        start=span.start_char,
                        end=span.end_char,
                        text=span.text,
                        confidence=confidence,
                        entry=entry,
                        reason=reason,
                    )
                )
        return mentions

    def _new_now(self, entry: Entry, sentence: Span, span: Span) -> bool:
        """A symptom or sign "never had before": said to be new, not denied (a history
        finding, "never had a clot before", stays denied)."""
        groups = {self.kb.findings[f].group for f in entry.targets() if f in self.kb.findings}
        if not groups or groups & HISTORY_GROUPS:
            return False
        start = span.start_char - sentence.start_char
        end = span.end_char - sentence.start_char
        return bool(
            NEVER_BEFORE.search(sentence.text[max(0, start - 40) : start])
            and BEFORE_AFTER.match(sentence.text[end:])
        )

    def _wildcard_negation(self, entry: Entry, span: Span) -> bool:
        """Whether a pattern's open slot took a "not" or "never" the pattern does not spell
        ("it's not hot" read by a pattern for "it's (so) hot"): a negation inside the words,
        which ConText does not see as a modifier of them."""
        words = {t.lower_ for t in span} & {"not", "never"}
        if not words:
            return False
        key = id(entry)
        if key not in self.spelled:
            spelled = " ".join([*entry.phrases, *entry.patterns]).lower()
            self.spelled[key] = frozenset(re.findall(r"not|never", spelled))
        return not words <= self.spelled[key]

    def _denies_place(self, doc: Doc, span: Span) -> bool:
        """Whether a negation before a place denies a pain there: a pain word lies between
        them or just after the place ("no pain in my calf", "no calf pain"), or the negation
        follows it ("my knee is fine"). "No hair on my toes" or "it doesn't go below the
        knee" deny something else, so the place says nothing."""
        for m in span._.modifiers:
            if m.category != "NEGATED_EXISTENCE":
                continue
            lo, hi = m.modifier_span
            if lo < span.end and hi > span.start:
                continue  # inside the phrase
            if _clause_between(doc, m.modifier_span, (span.start, span.end)):
                continue
            if lo >= span.end:
                return True
            after = doc[span.end : min(len(doc), span.end + 3)].text
            if self.pain.search(doc[hi : span.start].text) or self.pain.search(after):
                return True
        return False

    def _about_leg(self, sentence: Span) -> bool:
        """A sentence naming no part of the body at all ("It aches at night.", "A dull
        ache."): in an account of leg pain its complaint is the leg's."""
        return self.other_place is not None and not self.other_place.search(sentence.text)

    def _other_place_complaint(self, sentence: Span, span: Span) -> bool:
        """The body part nearest before the words (else after them, in the clause) is not
        part of the leg: "my lower tummy aches", "my back has ached for two years and now
        my legs ..." (not "aching all over", nor "my back and legs ache")."""
        if self.other_place is None:
            return False
        clause = _clause(sentence, span)
        if ALL_OVER.search(clause):
            return False
        cut = span.start_char - sentence.start_char - sentence.text.find(clause)
        before, after = clause[: max(cut, 0)], clause[max(cut, 0) :]
        parts = [(m.end(), False) for m in self.limb.finditer(before)]
        parts += [(m.end(), True) for m in self.other_place.finditer(before)]
        if parts:
            return max(parts)[1]
        first_limb = self.limb.search(after)
        first_other = self.other_place.search(after)
        if first_other is None:
            return False
        return first_limb is None or first_other.start() < first_limb.start()

    def _other_sense(self, entry: Entry, sentence: Span, span: Span) -> bool:
        key = id(entry)
        if key not in self.unless:
            self.unless[key] = (
                [re.compile(p, re.IGNORECASE) for p in entry.unless_before],
                [re.compile(p, re.IGNORECASE) for p in entry.unless_after],
            )
        before_res, after_res = self.unless[key]
        text = sentence.text
        before = text[
            max(0, span.start_char - sentence.start_char - 60) : span.start_char
            - sentence.start_char
        ]
        after = text[span.end_char - sentence.start_char :][:60]
        return any(r.search(before) for r in before_res) or any(r.match(after) for r in after_res)

    def _pain_near(self, sentence: Span, span: Span) -> bool:
        """A pain word in the place's clause, or in the clause before when the place is
        in a list ("pain in my calf, thigh and foot")."""
        clause = _clause(sentence, span)
        if self.pain.search(clause):
            return True
        text = sentence.text
        start = span.start_char - sentence.start_char
        before = text[:start]
        cuts = [m.start() for m in re.finditer(r"[,;:]|\bbut\b", before)]
        if cuts and not re.search(r"\bbut\b|;", before[cuts[-1] :]):
            previous = before[: cuts[-1]]
            prior_cuts = [m.end() for m in re.finditer(r"[,;:]|\bbut\b", previous)]
            previous = previous[prior_cuts[-1] if prior_cuts else 0 :]
            if self.pain.search(previous) and (
                len(clause.split()) <= 4 or self._only_places(clause) or GOES_ON.match(clause)
            ):
                return True
        # "both shins are swollen, tight and agonising": the list goes on after a comma.
        after = text[span.end_char - sentence.start_char :]
        comma = re.match(
            r"[^,;:.]*,\s*(?!(?:and\s+|but\s+|so\s+)?(?:i|i'm|i've|my|he|she|it|they|we|you|the|his|her|this|that|there)\b)([^,;:.]*)",
            after,
            re.I,
        )
        if comma is None:
            return False
        # round 10: "my feet are swollen - not red, not sore, just puffy": a pain word the
        # list denies is no pain of the place.
        pain = self.pain.search(comma.group(1))
        return pain is not None and not _negated_clause(comma.group(1)[: pain.start()])

    def _only_places(self, clause: str) -> bool:
        """A clause that only lists places ("front of the thighs and the backs of her
        knees", "calves n behind the knees", "thighs and calves the worst")."""
        rest = PLACE_FILLER.sub(" ", self.limb.sub(" ", clause))
        return bool(self.limb.search(clause)) and not rest.strip(" .,")

    def _reason(self, entry: Entry, cats: set[str]) -> str | None:
        family = "FAMILY" in cats
        if entry.experiencer == "family":
            return None if family else "not_family"
        if family:
            return "family"
        if "OTHER_EXPERIENCER" in cats:
            return "other_person"
        if "POSSIBLE_EXISTENCE" in cats:
            return "uncertain"
        if "HYPOTHETICAL" in cats:
            return "hypothetical"
        if "HISTORICAL" in cats:
            keep = entry.historical
            if keep is None:
                group = self.kb.findings[entry.targets()[0]].group
                keep = "keep" if group in HISTORY_GROUPS else "drop"
            if keep == "drop":
                return "past"
        return None

    def _targets(self, entry: Entry, span: Span, sentence: Span, negated: bool) -> list[str]:
        if entry.finding is not None:
            return [entry.finding]
        extent = entry.by_extent or {}
        clause = _clause(sentence, span)
        # "No swelling, no numbness in my feet": a bare denial in a clause of its own is
        # general (both), whatever the next clause names.
        if (
            negated
            and re.match(r"\s*(?:and\s+)?no\b", clause, re.I)
            and not self.limb.search(clause)
            and not JOINT.search(sentence.text)
        ):
            return [extent["one"], extent["both"]]
        parts = [clause, sentence.text]
        # "My left calf is sore. It has swelled up.": a swelling naming no leg is the one
        # the sentence before names.
        if not negated and sentence.start > 0 and not self.limb.search(sentence.text):
            parts.append(sentence.doc[sentence.start - 1].sent.text)
        for part in parts:
            # "my left knee has puffed up", "his knees aren't swollen": a joint, not the leg
            # (not "swelling up to my knee", where the knee is how far it goes).
            if "joint" in extent and not LEG_PART.search(part) and _joint_named(part):
                return [extent["joint"]]
            if self.side["both"].search(part) or self.plural_limb.search(part):
                return [extent["both"]]
            if SINGLE_LEG.search(part):
                return [extent["one"]]
            # "Leg itself isn't swollen", "no calf swelling": one leg named, bare.
            if negated and BARE_LEG.search(part):
                return [extent["one"]]
        # "no swelling" with no leg named: neither one leg nor both.
        return [extent["one"], extent["both"]] if negated else []

    # --- ages, sex, side, duration, severity -------------------------------------------

    def _subject_child(self, text: str) -> tuple[re.Match[str], str | None] | None:
        # "81, female. ... my son found out": a writer who opens with their own adult age
        # is the subject, unless the child is named in that first sentence.
        first_end = min([i for c in ".!?" if (i := text.find(c)) != -1] or [len(text)])
        opening = next((m for p in self.age if (m := p.search(text[:40]))), None)
        adult_first = opening is not None and (self._age_value(opening) or 0) > 20
        for pattern in self.child:
            m = pattern.search(text[:120])
            if m and adult_first and m.start() > first_end:
                continue
            # "I'm 88 and my daughter says I've got forgetful": a child who speaks is a
            # relative with a view, not who the account is about.
            if m and adult_first and SPEAKS.match(text, m.end()):
                continue
            if m:
                who = (m.groupdict().get("who") or "").lower()
                return m, _sex_of(who, self.language)
        return None

    def _numbers_and_choices(
        self,
        text: str,
        sentences: list[tuple[int, str]],
        lexical: list[_Mention],
        child: tuple[re.Match[str], str | None] | None,
    ) -> Iterable[_Mention]:
        out: list[_Mention] = []
        age = self._age(text, child)
        if age is not None:
            out.append(age)
        sex = self._sex(text, child, lexical)
        if sex is not None:
            out.append(sex)
        side = self._side(text, sentences)
        if side is not None:
            out.append(side)
        duration = self._duration(sentences)
        if duration is not None:
            out.append(duration)
        for pattern in self.severity:
            m = pattern.search(text)
            if m and (severity := self._number(m.group("n"))) is not None:
                out.append(_found("pain_severity", severity, m, 0.9))
                break
        return out

    def _number(self, raw: str) -> float | None:
        raw = raw.strip().lower()
        if re.fullmatch(r"\d+(?:\.\d+)?", raw):
            return float(raw)
        total = 0.0
        for part in re.split(r"[\s-]+", raw):
            if part not in self.language.number_words:
                return None
            total += self.language.number_words[part]
        return total

    def _age_value(self, m: re.Match[str]) -> float | None:
        """Years from a match with a group 'n' (years) or 'mo' (months: under a year is a
        decimal, 7 months -> 0.58)."""
        groups = m.groupdict()
        if groups.get("mo"):
            return _months_to_years(self._number(groups["mo"]))
        if groups.get("n"):
            years = self._number(groups["n"])
            if (groups.get("unit") or "").lower().startswith("month"):
                return _months_to_years(years)
            if years is not None and groups.get("half"):  # "she's 3 and a half"
                return years + 0.5
            return years
        return None

    def _age(self, text: str, child: tuple[re.Match[str], str | None] | None) -> _Mention | None:
        if child is not None:
            m = child[0]
            value = self._age_value(m)
            if value is not None and 0 < value <= 20:
                return _found("age", value, m, 0.9)
            later = re.search(
                r"^(?:\s*,\s*|\s*\(\s*|'s\s+|\s+(?=\d)|\s+(?:who\s+is|is|aged?|age)\s+|[^.;]{0,40}?\b(?:is|aged?|(?:has\s+)?just\s+turned)\s+)"
                r"(?P<n>" + self.num + r")\b(?P<half>\s+and\s+a\s+half\b)?"
                r"(?:\s*(?P<unit>months?|years?|yrs?))?"
                r"(?!\s*(?:weeks|days|times|hours|nights|minutes|kg|cm|%))",
                text[m.end() : m.end() + 60],
                re.IGNORECASE,
            )
            if later and (value := self._age_value(later)) is not None and 0 < value <= 20:
                return _Mention(
                    "age",
                    value,
                    m.end() + later.start("n"),
                    m.end() + later.end(),
                    text[m.end() + later.start("n") : m.end() + later.end()],
                    0.8,
                )
            # "... she's nine", "he turned 7 in May": the child's own pronoun.
            pronoun = re.search(
                r"\b(?:he|she)(?:'s|\s+is|\s+(?:has\s+)?(?:just\s+)?turned)\s+"
                r"(?:only\s+|just\s+|nearly\s+|almost\s+)?(?P<n>" + self.num + r")\b"
                r"(?:\s*(?P<unit>months?|years?|yrs?))?"
                r"(?!\s*(?:weeks|days|times|hours|nights|minutes|kg|cm|%|o.?clock|am|pm))",
                text,
                re.IGNORECASE,
            )
            if pronoun and (value := self._age_value(pronoun)) is not None and 0 < value <= 20:
                return _found("age", value, pronoun, 0.8)
            return None
        for pattern in self.age:
            for m in pattern.finditer(text):
                value = self._age_value(m)
                if value is not None and 0 < value <= 120:
                    return _found("age", value, m, 0.9)
        return None

    def _sex(
        self,
        text: str,
        child: tuple[re.Match[str], str | None] | None,
        lexical: list[_Mention],
    ) -> _Mention | None:
        if child is not None:
            m, sex = child
            if sex:
                return _found("sex", sex, m, 0.9)
            # "my 4 year old ... he cries": one kind of pronoun only, else nothing.
            he = re.search(r"\b(?:he|him|his|himself)\b", text, re.IGNORECASE)
            she = re.search(r"\b(?:she|her|hers|herself)\b", text, re.IGNORECASE)
            if (he is None) != (she is None):
                said = he or she
                assert said is not None
                return _found("sex", "male" if he else "female", said, 0.75)
            return None
        for pattern in self.sex:
            said = pattern.search(text)
            if said and (word := _sex_of(said.group("sex").lower(), self.language)):
                return _found("sex", word, said, 0.9)
        for mention in lexical:
            if (
                mention.finding in ("pregnant", "recently_gave_birth")
                and mention.value is True
                and not mention.reason
            ):
                return _Mention("sex", "female", mention.start, mention.end, mention.text, 0.95)
        return None

    def _side(self, text: str, sentences: list[tuple[int, str]]) -> _Mention | None:
        alternating = self.side["alternating"].search(text)
        if alternating:
            return _found("side", "alternating", alternating, 0.8)
        # "both legs" counts where the complaint is, not "varicose veins in both legs".
        for both in self.side["both"].finditer(text):
            clause = _clause_at(text, both.start(), both.end())
            if _OTHER_SIDES.search(text[max(0, both.start() - 14) : both.end() + 30]):
                continue  # "ribs on both sides", "both sides of my neck": not the legs
            if _REPORTED.search(_sentence_before(text, both.start())):
                continue  # "everything says both legs and only at night": what others say
            if _LONG_STANDING.search(_wide_clause(text, both.start(), both.end())):
                # "Both knees have had a dull ache for about three years ... since yesterday
                # my left foot": the long background speaks after a side said of the complaint
                # (the plural reading below still gives "both" if no side is said).
                continue
            # "both legs feel wobbly, weak and numb": the complaint may follow after a comma,
            # in the same clause (not ", and my left calf hurts").
            wide = ",".join(
                p
                for p in _wide_clause(text, both.start(), both.end()).split(",")
                if not _negated_clause(p)
            )
            if (
                self.symptom.search(clause)
                or self.symptom.search(both.group(0))
                or self.symptom.search(wide)
            ):
                return _found("side", "both", both, 0.85)
        for m in re.finditer(r"\b(?:left|right|lft|rt|l|r)\b", text, re.IGNORECASE):
            word = m.group(0).lower()
            if word in ("l", "r") and not self.side["left" if word == "l" else "right"].match(
                text, m.start()
            ):
                continue
            if self._not_limb(text, m):
                continue
            after = text[m.end() : m.end() + 30]
            limb = self.limb.search(after)
            place = self.other_place.search(after) if self.other_place is not None else None
            if place is not None and (limb is None or place.start() < limb.start()):
                continue  # "my right arm has gone weak", "the left side of my mouth"
            clause = _clause_at(text, m.start(), m.end())
            if _FINE.search(clause):
                continue  # "her right leg is fine": the other leg, said to be well
            # "my shin hurts, the right one", "limping on the left": the side of a complaint
            # named just before, or said with the complaint.
            named = (
                re.match(r"\s*one\b", after) is not None
                and self.limb.search(_sentence_before(text, m.start())[-30:]) is not None
            ) or (
                re.search(r"\b(?:on|in)\s+the\s+$", text[max(0, m.start() - 8) : m.start()])
                is not None
                and self.symptom.search(clause) is not None
            )
            if limb or named or re.search(r"\bsided?\b", after[:8]):
                value: Literal["left", "right"] = (
                    "left" if word in ("left", "lft", "l") else "right"
                )
                other_value: Literal["left", "right"] = "right" if value == "left" else "left"
                other = self._other_side_hurts(text, m.end(), other_value)
                if (
                    other is not None
                    and not self.symptom.search(_wide_clause(text, m.start(), m.end()))
                    and self._other_side_hurts(text, m.end(), value) is None
                ):
                    # "broke my right hip ... now my left groin aches": the side said
                    # beside no complaint, and never again beside one, is not the pain's.
                    at = text.lower().rfind(other_value[0], 0, other)
                    return _Mention("side", other_value, at, other, text[at:other], 0.7)
                if other is not None:  # "the left knee and right ankle": both, but unsure
                    return _Mention("side", "both", m.start(), other, text[m.start() : other], 0.6)
                return _found("side", value, m, 0.85)
        for sent_start, sent_text in sentences:
            for clause in re.split(r"[,;]|\bbut\b", sent_text):
                plural = self.plural_limb.search(clause)
                if plural and _REPORTED.search(clause[: plural.start()]):
                    continue  # "everyone says legs swell in pregnancy": a saying, not the person
                if plural and self.symptom.search(clause) and not self._denies(clause):
                    start = sent_start + sent_text.find(clause) + plural.start()
                    return _Mention(
                        "side", "both", start, start + len(plural.group(0)), plural.group(0), 0.7
                    )
        # "my feet have gone red, swollen and warm", "I ache all over, thighs and calves the
        # worst": the plural site and the complaint in one clause across its commas (the
        # parts that deny something left out).
        for sent_start, sent_text in sentences:
            for wide in _WIDE_SPLIT.split(sent_text):
                parts = [p for p in wide.split(",") if not self._denies(p)]
                kept = ",".join(parts)
                plural = self.plural_limb.search(kept)
                if plural and _REPORTED.search(kept[: plural.start()]):
                    continue
                if plural and self.symptom.search(kept):
                    part, at = next(
                        (p, f.start()) for p in parts if (f := self.plural_limb.search(p))
                    )
                    start = sent_start + sent_text.find(part) + at
                    return _Mention(
                        "side", "both", start, start + len(plural.group(0)), plural.group(0), 0.65
                    )
        return None

    def _denies(self, clause: str) -> bool:
        """Whether a clause denies its complaint: a negation before its first symptom word
        ("my legs aren't swollen", "no pain in my calves"); one only after it is about
        something else ("my thighs are so swollen I can't get down the stairs"). A clause
        with no symptom word counts as denied if it holds any negation, as before."""
        symptom = self.symptom.search(clause)
        return _negated_clause(clause if symptom is None else clause[: symptom.start()])

    def _not_limb(self, text: str, m: re.Match[str]) -> bool:
        """Whether the side word at ``m`` is said of no limb ("lie on my left side", "right
        up to the groin"): a pattern that takes in the word itself."""
        lo = max(0, m.start() - 30)
        window = text[lo : m.end() + 10]
        return any(
            n.start() <= m.end() - lo and n.end() >= m.start() - lo
            for n in self.side_not_limb.finditer(window)
        )

    def _other_side_hurts(
        self, text: str, after: int, side: Literal["left", "right"]
    ) -> int | None:
        """Where the other side's limb is named later beside a complaint ("and now the right
        knee is swollen as well"), not in a clause that says it is fine; else None."""
        named = itertools.chain(
            self.side[side].finditer(text, after), OTHER_LIMB.finditer(text, after)
        )
        for m in sorted(named, key=lambda n: n.start()):
            if m.re is OTHER_LIMB:
                # round 11: "and a new one above the other ankle", "pain in the other leg too":
                # the other leg named beside a complaint (not "twice the size of the other one")
                if re.search(r"\b(?:than|to|with|from|of|as|like)\s*$", text[: m.start()]):
                    continue
            elif (
                not self.limb.search(text[m.end() : m.end() + 30])
                and not re.match(r"\s*(?:one|side|too|as\s+well)\b", text[m.end() :])
                and not re.search(r"\b(?:on|in)\s+the\s+$", text[max(0, m.start() - 8) : m.start()])
            ):
                continue
            if self._not_limb(text, m):
                continue  # "puffy from the foot right up to the groin"
            following = text[m.end() : m.end() + 30]
            limb = self.limb.search(following)
            place = self.other_place.search(following) if self.other_place else None
            if place is not None and (limb is None or place.start() < limb.start()):
                continue  # "a pain on the right side of my chest"
            if re.search(r"\b(?:than|to|with|from)\s+(?:the|my|his|her)?\s*$", text[: m.start()]):
                continue  # "more swollen than the right", "compared with the left": a comparison
            clause = _clause_at(text, m.start(), m.end())
            if (self.symptom.search(clause) or _SAME.search(clause)) and not _negated_clause(
                clause
            ):
                return m.end()
        return None

    def _duration(self, sentences: list[tuple[int, str]]) -> _Mention | None:
        best: tuple[float, _Mention] | None = None
        best_sentence = ""
        # Spans said beside a leg word, surely the complaint's (rank <= 1), in text order.
        leg_spans: list[tuple[float, _Mention]] = []
        leg_sentences: dict[int, tuple[int, str]] = {}
        for index, (sent_start, sent_text) in enumerate(sentences):
            sent_symptom = self.symptom.search(sent_text)
            # "About two weeks ago he grazed his shin. Since then it has got more painful":
            # the sentence after tells the complaint dates from this one's time.
            then_on = index + 1 < len(sentences) and _SINCE_THEN.match(sentences[index + 1][1])
            for clause_match in re.finditer(r"[^,;:()]+", sent_text):
                clause = clause_match.group(0)
                if not _TIME_WORD.search(clause):
                    continue
                if len(clause.split()) <= 5 and self._led_by_blocker(
                    sent_text[: clause_match.start()]
                ):
                    continue
                # A bracket does not end what a blocker speaks of: "cirrhosis (hep B) for 6
                # yrs", "finished chemo (paclitaxel for ovarian cancer) 4 months ago".
                left = sent_text.rfind("(", 0, clause_match.start() + 1)
                bracketed = left >= 0 and not re.search(
                    r"[,;:]", sent_text[left : clause_match.start()]
                )
                if bracketed or sent_text[: clause_match.start()].rstrip().endswith(")"):
                    wide = _unbracketed_clause(sent_text, clause_match.start())
                    # (the clause's first and/but piece: "been on the water tablets
                    # (furosemide) over 2 weeks and my legs are still swollen")
                    lead_piece = next(iter(_parts(clause)))[1]
                    if (
                        self.blockers.search(wide)
                        and not self.blockers.search(clause)
                        and not (self.symptom.search(lead_piece) or self.limb.search(lead_piece))
                        and not _DATED_FROM.search(clause)
                    ):
                        continue
                parts = self._duration_parts(clause)
                for part_start, original in parts:
                    part = _APPROXIMATE.sub(lambda a: " " * len(a.group(0)), original)
                    offset = sent_start + clause_match.start() + part_start
                    found = self._duration_in(part)
                    if found is None or _HEDGED.search(part):
                        continue
                    choice, m = found
                    # "for a few hours" in an account of bouts ("2 or 3 times a month the
                    # foot goes red for a few hours") is one bout's length, not how long
                    # the complaint has lasted.
                    if (
                        choice == "hours"
                        and _EPISODIC.search(sent_text)
                        and re.match(r"\s*for\b", m.group(0), re.I)
                    ):
                        continue
                    after_text = sent_text[offset - sent_start + m.end() :] + (
                        sentences[index + 1][1] if index + 1 < len(sentences) else ""
                    )
                    if self._other_things_span(
                        sent_text, clause, part_start, part, m, choice, after_text
                    ):
                        # the rest of the part may still hold the complaint's time ("I've had
                        # a bad back for years but the last two weeks my calf has burned")
                        if len(parts) < 6:
                            blank = " " * (m.end() - m.start())
                            parts.append(
                                (part_start, original[: m.start()] + blank + original[m.end() :])
                            )
                        continue
                    rank = self._duration_rank(clause, part, m, sent_symptom)
                    # "A few months back my legs went weak ... and I got better. But over the
                    # last few weeks it's come back": an earlier episode, over, told first.
                    if _resolved(sent_text[offset - sent_start + m.end() :]):
                        continue
                    # One bout's length said alone ("the swelling lasts for about an hour
                    # after I wake up", "each attack lasts a few days"): not how long the
                    # complaint has lasted; nothing is read from it.
                    if rank == 3 and _EPISODE_BEFORE.search(
                        part[max(0, m.start() - 40) : m.start()]
                    ):
                        continue
                    if then_on and rank in (1, 2):
                        rank = 0
                    # "Had the back operation 6 weeks ago." with no symptom in the sentence
                    # and no "since" after it: the operation's date, not the complaint's
                    # (but "had an operation 3 months ago and it didn't help": older still).
                    if (
                        rank == 2
                        and _OPERATION.search(part)
                        and not _DID_NOT_HELP.search(part)
                        and not (
                            index + 1 < len(sentences)
                            and _SINCE_START.match(sentences[index + 1][1])
                        )
                    ):
                        continue
                    confidence = {-1: 0.8, 0: 0.8, 1: 0.7}.get(rank, 0.6)
                    mention = _Mention(
                        "duration",
                        choice,
                        offset + m.start(),
                        offset + m.end(),
                        original[m.start() : m.end()],
                        confidence,
                    )
                    # A long time said only vaguely ("for years", "for ages", "for a long
                    # time") is most often the background ("swollen for years, and 3 days
                    # ago it went red"): any other span speaks first.
                    vague = _VAGUE_LONG.match(m.group(0))
                    if vague and self._elsewhere(_part_before(part, m.start())):
                        # "I've had low back pain for years but the last three weeks my legs
                        # ...": the back's long time is the background; the rest of the
                        # clause may still hold the complaint's.
                        if len(parts) < 6:
                            blank = " " * (m.end() - m.start())
                            parts.append(
                                (part_start, original[: m.start()] + blank + original[m.end() :])
                            )
                        continue
                    if vague and (
                        (
                            rank >= 2
                            and not _ITS_BEEN.search(part)
                            and not _OTHERS_SAID.search(part)
                            and not _HAD_THIS.search(part)
                        )
                        or _POSTURE_BEFORE.search(part[max(0, m.start() - 30) : m.start()])
                    ):
                        # "I've had athlete's foot for ages", "played rugby for years" (no
                        # complaint in the sentence); "sitting for a long time makes it
                        # worse" (how long a posture lasts): not the complaint's time. ("For
                        # years everyone thought it was nothing" is the complaint's.)
                        continue
                    order = rank + (2.5 if vague else 0)
                    if best is None or order < best[0]:
                        best = (order, mention)
                        best_sentence = sent_text
                    if order <= 1 and self.limb.search(sent_text):
                        leg_spans.append((order, mention))
                        leg_sentences[mention.start] = (index, sent_text)
        if best is None:
            return None
        # "Back pain for 3 weeks. Over the last 2 days it has spread down both thighs": a time
        # told of the back (or another place) alone is the background when a later time,
        # said beside a leg word, dates the leg complaint the person writes about now.
        if self._elsewhere(best_sentence):
            later = [
                (order, m)
                for order, m in leg_spans
                if m.start > best[1].start and m.value != best[1].value
            ]
            if later:
                return min(later, key=lambda om: om[0])[1]
            # "For about 3 years I've had low back pain on and off. This year I began
            # getting a painful jolt down my thigh": the back's time, and the leg complaint
            # is said to have begun later, at no stated time: nothing is read.
            for _start, text in sentences:
                if (
                    _start > best[1].start
                    and self.limb.search(text)
                    and self.symptom.search(text)
                    and re.search(r"\b(?:began|begun|started|starting|came\s+on)\b", text, re.I)
                ):
                    return None
        if self._newer_complaint(best[1], leg_spans, leg_sentences):
            return None
        return best[1]

    def _newer_complaint(
        self,
        best: _Mention,
        leg_spans: list[tuple[float, _Mention]],
        leg_sentences: dict[int, tuple[int, str]],
    ) -> bool:
        """Whether a later sentence tells a much shorter span beside the leg, not as the same
        complaint grown worse: "For a couple of years my shin has hurt when I run. This week
        it didn't settle, the shin is swollen"; "my knees have ached for three years. Since
        yesterday my foot is red and swollen". GUIDELINE takes the span of the complaint
        written about now, and the reader cannot tell which that is: nothing is read (the
        interview asks), rather than the old span."""
        levels = ("hours", "days", "weeks", "months")
        if best.start not in leg_sentences or best.value not in levels:
            return False
        best_index = leg_sentences[best.start][0]
        for _order, m in leg_spans:
            index, sentence = leg_sentences[m.start]
            if (
                index > best_index
                and m.value in levels
                and levels.index(str(best.value)) - levels.index(str(m.value)) >= 2
                and not _SAME_COMPLAINT.search(sentence)
            ):
                return True
        return False

    def _other_things_span(
        self,
        sentence: str,
        clause: str,
        at: int,
        part: str,
        m: re.Match[str],
        choice: str,
        after: str,
    ) -> bool:
        """Whether a span measures something else told beside the complaint, not the complaint:
        a routine's length ("I sit at a desk for 8 hours a day", "walk for an hour every
        day"), a posture's or a task's ("after sitting for 2 hours my legs ache"), or what the
        person has done or had for that time, in a part of its own with no symptom, no leg and
        no "it" ("I've played football for 15 years, my knee hurts", "I've been dieting for 3
        months and my legs cramp", "I've had a cold for a week and now my legs ache")."""
        span = m.group(0)
        start = at + m.start()
        piece, head = "", ""
        for p_start, p_text in _parts(clause):
            if p_start <= start < p_start + len(p_text) + 1:
                piece, head = p_text, clause[p_start:start]
                break
        if not piece:
            return False
        said_of_complaint = bool(
            self.symptom.search(piece)
            or _ITS_BEEN.search(piece)
            or _COMPLAINT_PRONOUN.search(piece)
        )
        bare = not said_of_complaint and not self.limb.search(piece)
        # An event months or years ago, in a piece that says nothing of the complaint, with
        # nothing dating the complaint from it ("I had a fall 20 years ago. My knee aches
        # now", "my husband passed two years ago", "I had a hip replacement two years ago
        # and now my calf is swollen"): its own time (GUIDELINE: a trigger's time counts only
        # if the pain is said to have started then).
        if (
            choice == "months"
            and (
                re.search(r"\b(?:ago|back)\b", span, re.I)
                or (
                    re.match(r"\s*last\s+year\b", span, re.I)
                    and not re.search(
                        r"\b(?:the|for|since|over|in)\s+(?:\w+\s+)?$", part[: m.start()], re.I
                    )
                )
            )
            and not said_of_complaint
            and (bare or _OPERATION.search(piece) or _OLD_INJURY.search(piece))
            and not _STARTED.search(piece + " " + after[:100])
            and not _DATED_FROM.search(piece + " " + after[:100])
            and not _DID_NOT_HELP.search(sentence)
        ):
            return True
        if not re.match(r"\s*(?:for|over|in|during|within)\b", span, re.I):
            return False
        if _ROUTINE_AFTER.match(part[m.end() : m.end() + 25]):
            return True
        before = part[max(0, m.start() - 40) : m.start()]
        if _POSTURE_BEFORE.search(before) and re.search(
            r"\b(?:hours?|hrs?|minutes?|mins?)\b", span, re.I
        ):
            return True
        # Said after the doing ("I've played football for 15 years"); a time said first
        # ("For six months I've been getting breathless, and my ankles swell") is the
        # sentence's.
        if not bare or not _OWN_SUBJECT.search(head):
            return False
        rest = sentence.replace(piece, " ", 1)
        if self.symptom.search(rest):
            return True
        # A sentence of its own about a pastime or training ("I've cycled to work for 3
        # years.", "I've been training for a marathon for four months."): that doing's time.
        return bool(_ACTIVITY.search(head)) and not self.symptom.search(sentence)

    def _led_by_blocker(self, before: str) -> bool:
        """Whether a time said alone between commas is led by a short clause that holds a
        blocker: "Last time, seven years back, it was the toe" (the commas cut "Last time" off
        the time it dates)."""
        if not before.rstrip().endswith(","):
            return False
        lead = re.split(r"[,;:()]", before.rstrip()[:-1])[-1]
        return (
            len(lead.split()) <= 3
            and bool(self.blockers.search(lead))
            and not self.symptom.search(lead)
            and not self.limb.search(lead)
        )

    def _elsewhere(self, text: str) -> bool:
        """Whether text names another place (the back, the chest) and no part of the leg."""
        return bool(
            self.other_place is not None
            and self.other_place.search(text)
            and not self.limb.search(text)
        )

    def _duration_parts(self, clause: str) -> list[tuple[int, str]]:
        """The clause; or, if it holds a blocker, each part of it (cut at "and"/"but"/"so")
        without one that speaks of the complaint: "I drink a bottle of wine most nights and
        over the last year pins and needles started" holds the complaint's time beside
        another thing's; "simvastatin and ezetimibe for years" does not."""
        if not self.blockers.search(clause):
            return [(0, clause)]
        return [
            (start, part)
            for start, part in _parts(clause)
            if not self.blockers.search(part)
            and (self.symptom.search(part) or self.limb.search(part) or _ITS_BEEN.search(part))
        ]

    def _duration_rank(
        self, clause: str, part: str, m: re.Match[str], sent_symptom: re.Match[str] | None
    ) -> int:
        """How surely a span is the complaint's: lower is surer; of two as sure, the first."""
        span = m.group(0)
        after = part[m.end() : m.end() + 40]
        # Said beside a symptom word it is the complaint's time; in a sentence with one,
        # probably ("Three days ago, after a walk, my legs started hurting"); otherwise unsure.
        now = re.search(r"\bnow\b", span + part[m.end() : m.end() + 5], re.I)
        if now and sent_symptom:
            rank = -1  # "3 days now": the present episode
        elif self.symptom.search(clause):
            rank = 0
        elif now and _ITS_BEEN.search(part):
            rank = 0  # "It's been about three weeks now."
        elif _ONGOING.search(part):
            rank = 0  # "been happening on and off since the summer"
        elif sent_symptom:
            rank = 1
        else:
            rank = 2
        # One bout's length ("goes red for a few hours", "stays sore for hours") or a
        # time told as the older part ("for a few weeks before that"): behind the others.
        before = part[max(0, m.start() - 40) : m.start()]
        if _EPISODE_BEFORE.search(before) or _EPISODE_AFTER.match(after):
            rank = 3
        return rank

    def _duration_in(self, clause: str) -> tuple[str, re.Match[str]] | None:
        if not _TIME_WORD.search(clause):
            return None  # no word any duration phrase or pattern needs: not read further
        for choice, pattern in self.duration_phrases.items():
            m = pattern.search(clause)
            if m:
                return choice, m
        units = self.language.duration.units
        quantities = self.language.duration.quantities
        for pattern in self.durations:
            m = pattern.search(clause)
            if not m:
                continue
            unit_word = m.group("unit").lower()
            unit = units.get(unit_word) or units.get(unit_word.rstrip("s"))
            if unit is None:
                continue
            raw_n = (m.groupdict().get("n") or "").strip().lower()
            raw_n = re.sub(r"\s+", " ", raw_n)
            span_of = re.fullmatch(r"(\d+)\s*(?:-|to)\s*(\d+)", raw_n)
            if span_of:  # "2 to 3 weeks": the longer
                raw_n = span_of.group(2)
            half = re.fullmatch(r"(.+?)\s+and\s+(?:a\s+)?half", raw_n)
            if half:  # "3 and a half months", "one and half month"
                whole = quantities.get(half.group(1)) or self._number(half.group(1))
                if whole is None:
                    continue
                raw_n, extra = half.group(1), 0.5
            else:
                extra = 0.0
            if raw_n:
                n = quantities.get(raw_n)
                if n is None:
                    number = self._number(raw_n)
                    if number is None:
                        continue
                    n = float(number)
            else:
                n = 3.0 if unit_word.endswith("s") else 1.0  # "for months": a few
            n += extra
            if unit_word == "fortnight":
                n *= 2
            days = n * {"hours": 1 / 24, "days": 1, "weeks": 7, "months": 30, "years": 365}[unit]
            return _choice_for_days(days), m
        return None

    # --- deciding ------------------------------------------------------------------------

    def _decide(
        self, mentions: list[_Mention]
    ) -> tuple[dict[str, Value], dict[str, Evidence], list[SetAside]]:
        by_finding: dict[str, list[_Mention]] = {}
        set_aside: list[SetAside] = []
        for m in mentions:
            if m.reason == "not_family":
                continue
            if m.reason:
                set_aside.append(SetAside(m.finding, m.text, m.start, m.end, m.reason))
                continue
            by_finding.setdefault(m.finding, []).append(m)
        answers: dict[str, Value] = {}
        evidence: dict[str, Evidence] = {}
        for fid, found in by_finding.items():
            values = {m.value for m in found}
            if len(values) > 1 and not all(isinstance(v, bool) for v in values):
                # A choice read two ways ("suddenly" and "gradually"): a clearly surer
                # reading is kept, but as "please check"; else nothing.
                ranked = sorted(found, key=lambda m: -m.confidence)
                top = ranked[0]
                others = [m for m in ranked if m.value != top.value]
                if top.confidence - others[0].confidence >= 0.2:
                    for m in others:
                        set_aside.append(SetAside(fid, m.text, m.start, m.end, "conflicting"))
                    answers[fid] = top.value
                    evidence[fid] = Evidence(
                        fid, top.value, top.text, top.start, top.end, min(top.confidence, 0.6)
                    )
                    continue
            if len(values) > 1:
                # Said both ways: a false finding is worse than a missed one, so say nothing.
                for m in found:
                    set_aside.append(SetAside(fid, m.text, m.start, m.end, "conflicting"))
                continue
            best = max(found, key=lambda m: (m.confidence, m.end - m.start))
            confidence = best.confidence
            if confidence >= CHECK_BELOW:  # said again: surer (an unsure reading stays unsure)
                confidence = min(0.99, confidence + 0.03 * (len(found) - 1))
            answers[fid] = best.value
            evidence[fid] = Evidence(fid, best.value, best.text, best.start, best.end, confidence)
        set_aside.sort(key=lambda s: (s.start, s.finding))
        return answers, evidence, set_aside


# --- helpers -------------------------------------------------------------------------------


_UNBOUNDED = re.compile(r"(?<!\\)\\([sW])([*+])")


def _bounded(pattern: str) -> str:
    """The language's regexes run over the whole text: an unbounded run of spaces or marks
    (\\s*, \\W+) beside another could backtrack over a long run of spaces in quadratic
    time; nine is more than any real gap between two words."""
    return _UNBOUNDED.sub(
        lambda m: "\\" + m.group(1) + ("{0,9}" if m.group(2) == "*" else "{1,9}"), pattern
    )


_PUNCTUATION_RUN = re.compile(r"([^\w\s])(?:\s?\1){2,}")
_WORD_RUN = re.compile(r"\b(\w+)((?:\W{1,3}\1\b){2,})", re.IGNORECASE)


def _quiet_punctuation(text: str) -> str:
    """A run of one mark or one word said three times or more (";;;;", "? ? ?", "no no no
    no", "calf calf calf") keeps its first; the rest become spaces, so offsets still point
    into the text as typed. Each repeat would otherwise be a token, a sentence or a ConText
    trigger, and ConText's cost grows with the square of the triggers in a chunk."""
    text = _PUNCTUATION_RUN.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - 1), text)
    return _WORD_RUN.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


# A clause's parts, for duration spans: cut before "and"/"but"/"so" (not in "a year and a
# half", "on and off", "pins and needles").
_PART_CUT = re.compile(
    r"(?<!\bor)(?<!\bpins)\s(?=(?:and|but|so)\s(?!a\s+half\b|half\b|off\b|needles\b))"
    r"|\s[-–—]+(?=\s)",  # (a dash between clauses: "for about a year - we've seen five doctors")
    re.I,
)


def _part_before(clause: str, at: int) -> str:
    """The words before position at in its part of clause (cut as _parts cuts): "my lower
    back has ached" in "... and my lower back has ached for years and now ..."."""
    head = clause[:at]
    for _start, part in _parts(head):
        head = part
    return head


def _parts(clause: str) -> Iterable[tuple[int, str]]:
    start = 0
    for cut in _PART_CUT.finditer(clause):
        yield start, clause[start : cut.start()]
        start = cut.end()
    yield start, clause[start:]


_VAGUE_LONG = re.compile(r"\s*(?:for\s+)?(?:years|ages|a\s+long\s+time|donkey|decades)\b", re.I)
# ("stood on parade for ages": up to two words between)
_POSTURE_BEFORE = re.compile(
    r"\b(?:sitting|sit|sat|standing|stand|stood|walking|walk|lying|lie|kneeling)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_OTHERS_SAID = re.compile(r"\b(?:everyone|everybody|nobody|no\s+one|doctors)\b", re.I)
_SINCE_THEN = re.compile(r"\s*(?:and\s+|but\s+)?(?:ever\s+)?since\s+(?:then|that)\b", re.I)
# An operation's date ("had my hip operation 10 days ago"), and a sentence that dates the
# complaint from it ("Since I woke up from it...", "Ever since, the leg...").
_OPERATION = re.compile(
    r"\b(?:operations?|op|surgery|operated|fusion|laminectomy|replacement|fasciotomy|scoped"
    r"|arthroscop\w*|keyhole|plated)\b",
    re.I,
)
_DID_NOT_HELP = re.compile(
    r"\b(?:didn.?t|did\s+not|hasn.?t|has\s+not|never)\s+(?:help|work|fix)", re.I
)
_SINCE_START = re.compile(r"\s*(?:and\s+|but\s+)?(?:ever\s+)?since\b", re.I)
_ONGOING = re.compile(r"\bbeen\s+(?:happening|going\s+on|coming\s+and\s+going)\b", re.I)


def _unbracketed_clause(text: str, start: int) -> str:
    """What a bracketed or bracket-following text[start:end] qualifies: the words before it
    in its clause (cut only at , ; :), outside any bracket ("cirrhosis" in "cirrhosis (hep
    B) for 6 yrs")."""
    left = max(text.rfind(c, 0, start) for c in ",;:") + 1
    return re.sub(r"\([^()]*\)?", " ", text[left:start])


# A routine's or a bout's length ("for 8 hours a day", "for an hour every night", "for 20
# minutes at a time"): not how long the complaint has lasted.
_ROUTINE_AFTER = re.compile(
    r"\s*(?:or\s+(?:so|more)\s+)?(?:an?|every|each|per)\s+(?:day|night|morning|evening|week|"
    r"weekday|shift|session|time)\b|\s*(?:daily|nightly|at\s+a\s+time)\b",
    re.I,
)
# A part with a subject and its own verb ("I've played football", "he has been dieting"):
# what it says it measures is that doing.
_OWN_SUBJECT = re.compile(
    r"\b(?:i|i've|ive|i'd|i'm|im|he|he's|she|she's|we|we've|they|they've)\s+(?:\w+\s+){0,2}?"
    r"(?:been|had|have|has|played|done|did|worked|taken|took|used|slept|sleep|stood|sat|trained|"
    r"run|ran|cycled|swum|swam|walked|lived|kept|stayed|went|put|lost|gained)\b",
    re.I,
)
# The complaint dated from an event ("... and it has hurt ever since", "Since then ...").
_DATED_FROM = re.compile(
    r"\b(?:since|after\s+(?:that|it|this)|following\s+(?:that|it)|from\s+then)\b", re.I
)
_STARTED = re.compile(
    r"\b(?:start\w*|began|begun|came\s+on|first|noticed|appeared|developed|woke)\b", re.I
)
_ACTIVITY = re.compile(
    r"\b(?:play(?:ed|ing)?|train(?:ed|ing)?|cycl(?:ed|ing)|running|run|ran|jogg(?:ed|ing)|swimming|"
    r"swum|swam|dieting|doing|done|gone|going|lived|living|worked|working|studying|dancing|"
    r"lifting|coaching|holiday|vacation|away)\b",
    re.I,
)
# The same complaint, changed ("this morning the pain got way worse", "my calf hurts too").
_SAME_COMPLAINT = re.compile(
    r"\b(?:worse|worsen\w*|too|also|again|more|still|as\s+well|spread\w*)\b", re.I
)
# An episode over and done ("... and I got better", "it settled", "it cleared up").
_RESOLVED = re.compile(
    r"\b(?:got|get|getting)\s+better\b|\b(?:it|they|that|which)\s+(?:\w+\s+)?(?:settled|cleared"
    r"(?:\s+up)?|went\s+away|resolved|healed)\b|\b(?:recovered|resolved)\s+(?:fully|completely)?",
    re.I,
)
# "I've had this for years": the complaint's own long time.
_HAD_THIS = re.compile(r"\b(?:had|have|having)\s+(?:this|it|them|these)\b", re.I)
# An old injury's date ("I broke my leg 30 years ago"), not the present complaint's.
_OLD_INJURY = re.compile(
    r"\b(?:broke|broken|fractured?|injured|tore|torn|sprained|dislocated|snapped)\b", re.I
)


def _resolved(text: str) -> bool:
    """Whether text says an episode ended ("and I got better"), not that it did not ("it
    isn't getting better", "never healed properly")."""
    for m in _RESOLVED.finditer(text):
        if not re.search(
            r"(?:n['’]?t|\bnot|\bnever|\bno)\s+(?:\w+\s+)?$", text[: m.start()], re.I
        ) and not re.search(r"\b(?:never|not|n['’]?t)\b", m.group(0), re.I):
            return True
    return False


# Words that point back at the complaint ("I've had it for 3 weeks", "like this for a month").
_COMPLAINT_PRONOUN = re.compile(
    r"\b(?:it|this|that|which|them|these|those|symptoms?|problems?|trouble|issues?|pain|same)\b",
    re.I,
)
_ITS_BEEN = re.compile(r"\b(?:it|this|that)(?:'?s|\s+has)\s+(?:been|happened|gone\s+on)\b", re.I)
# Every duration phrase and pattern holds one of these (a quick test before the many).
_TIME_WORD = re.compile(
    r"\d|hour|hr|day|night|week|wk|fortnight|month|\bmos?\b|mth|year|yr|decade|ago|since"
    r"|morning|afternoon|evening|tonight|\bages\b|donkey|summer|winter|spring|autumn|\bfall\b"
    r"|birthday|before|minute|lunch|breakfast|earlier|long\s+time|/",
    re.I,
)
_EPISODIC = re.compile(
    r"\b(?:times\s+(?:a|per|each)\s+(?:day|week|month|year)|(?:nights?|days?)\s+a\s+week"
    r"|every\s+so\s+often|attacks?|bouts?|episodes?|comes\s+and\s+goes|each\s+time|afterwards)\b",
    re.I,
)
_EPISODE_BEFORE = re.compile(
    r"\b(?:lasts?|lasting|lasted|lingered|stays?\s+\w+|each\s+(?:one|time|attack|episode|bout)"
    r"|attacks?\s+(?:of|for)|bouts?\s+(?:of|for))\s+(?:for\s+)?(?:up\s+to\s+|about\s+|around\s+)?"
    r"(?:\w+\s+)?$",
    re.I,
)
_EPISODE_AFTER = re.compile(
    r"\s*(?:before\s+(?:that|this)|at\s+a\s+time|each\s+time|sometimes\b"
    r"|(?:or\s+(?:two|so)\s+)?after(?:wards)?\s*[.,;]|(?:or\s+(?:two|so)\s+)?afterwards\b)",
    re.I,
)


# A word that only rounds the number ("for maybe six weeks", "for like 2 years", "maybe 3
# months"): blanked out (same length, so offsets hold) before spans are read.
_APPROXIMATE = re.compile(
    r"\b(?:maybe|perhaps|possibly|like|approx(?:imately)?|probably|roughly|just|well|easily)"
    r"\s+(?=(?:over\s+|about\s+|around\s+)?(?:\d|an?\s+(?:few|couple|year|month|week|fortnight)\b"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)\b))",
    re.I,
)


# "started maybe a month ago??": a hedged time is left out, as a hedged finding is.
_HEDGED = re.compile(
    r"\b(?:maybe|perhaps|possibly|not\s+sure|i\s+think|i\s+guess)\b|\?\?|\?\s\s", re.I
)


def _number_regex(words: dict[str, int]) -> str:
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    word = rf"(?:{alternatives})(?:[\s-](?:{alternatives}))?"
    return rf"(?:(?<![\d.])\d{{1,3}}(?:\.\d+)?(?![\d])|{word})"


def _choice_for_days(days: float) -> str:
    if days < 1:
        return "hours"
    if days < 14:
        return "days"
    # "weeks" runs from 2 weeks to under 3 months (GUIDELINE: "months" is 3 months or more):
    # "about 10 weeks", "two and a half months" are still weeks.
    if days < 90:
        return "weeks"
    return "months"


def _sex_of(word: str, language: Language) -> str | None:
    if word in language.male_words:
        return "male"
    if word in language.female_words:
        return "female"
    return None


def _found(fid: str, value: Value, m: re.Match[str], confidence: float) -> _Mention:
    return _Mention(fid, value, m.start(), m.end(), m.group(0), confidence)


def _clause_at(text: str, start: int, end: int) -> str:
    """The words of plain text around [start, end) between punctuation marks."""
    left = max(text.rfind(c, 0, start) for c in ".;,!?") + 1
    ends = [i for c in ".;,!?" if (i := text.find(c, end)) != -1]
    return text[left : min(ends) if ends else len(text)]


# "my right leg is fine", "other leg fine": a leg said to be well.
_FINE = re.compile(
    r"\b(?:legs?|calf|foot|knee|ankle|thigh|shin|hip|one|side)\s+(?:is\s+|are\s+|feels?\s+|seems?\s+)?"
    r"(?:fine|ok|okay|normal|alright|all\s+right|perfectly\s+fine|no\s+problem)\b",
    re.IGNORECASE,
)
# The words that open a new clause after a comma ("..., my calf", "..., and then").
_CLAUSE_OPENERS = r"i|i'm|im|my|it|it's|we|and|now|then|he|she|they|this|that|his|her|their|our"
# A clause within a sentence: commas inside it ("wobbly, weak and numb") do not end it.
_WIDE_SPLIT = re.compile(
    rf"[;:()]|\s[-–—]\s|,\s*(?:{_CLAUSE_OPENERS}|which|who|so|because|as|when|while)\b"
    r"|\b(?:but|though|although)\b",
    re.IGNORECASE,
)
# "then the left leg did the same", "the other knee is doing it too": the same complaint.
_SAME = re.compile(
    r"\b(?:did|does|do|doing|done|went|goes|going|started|starting)\s+(?:\w+\s+)?the\s+same\b"
    r"|\b(?:doing|does|did|started)\s+it\s+(?:too|as\s+well)\b",
    re.IGNORECASE,
)
_OTHER_SIDES = re.compile(
    r"\b(?:ribs?|chest|arms?|hands?|neck|face|head|back|shoulders?|wrists?|eyes?|ears?)\s+"
    r"(?:on\s+)?both\s+sides\b|\bboth\s+sides\s+of\s+(?:my|his|her|the)\s+(?:neck|face|head|"
    r"chest|back|body|tummy|stomach|belly)\b",
    re.IGNORECASE,
)


def _sentence_before(text: str, at: int) -> str:
    """The words of the sentence before ``at``."""
    return text[_sentence_start(text, at) : at]


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in ".!?") + 1


def _wide_clause(text: str, start: int, end: int) -> str:
    """The words around [start, end) within the sentence, up to a new clause (commas inside
    a list or a description do not end it)."""
    left = _sentence_start(text, start)
    ends = [i for c in ".!?" if (i := text.find(c, end)) != -1]
    sentence = text[left : min(ends) if ends else len(text)]
    at = start - left
    cut = 0
    for m in _WIDE_SPLIT.finditer(sentence):
        if m.end() <= at:
            cut = m.end()
        elif m.start() >= at + (end - start):
            return sentence[cut : m.start()]
    return sentence[cut:]


def _negated_clause(clause: str) -> bool:
    return re.search(r"\b(?:no|not|never|n't|nt)\b|n't\b", clause, re.IGNORECASE) is not None


CLAUSE_BREAK = re.compile(
    rf"[;:!?]|\s[-–—]\s|,\s*(?:{_CLAUSE_OPENERS})\b|\b(?:but|though|although)\b",
    re.IGNORECASE,
)


def _clause_between(doc: Doc, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether a new clause starts between two token ranges (ConText's scope stops there)."""
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    if hi <= lo:
        return False
    return CLAUSE_BREAK.search(doc[lo:hi].text) is not None


ALL_OVER = re.compile(r"\ball\s+over\b", re.IGNORECASE)
LEG_PART = re.compile(
    r"\b(?:legs?|calf|calves|calfs|thighs?|shins?|feet|foot|ankles?|toes?|lower\s+legs?)\b",
    re.IGNORECASE,
)
JOINT = re.compile(r"\b(?:knees?|kneecaps?|joints?)\b", re.IGNORECASE)
EXTENT_BEFORE = re.compile(
    r"\b(?:to|below|above|from|past|under|into|beyond)\s+(?:the\s+|my\s+|his\s+|her\s+)?$",
    re.IGNORECASE,
)

BOUNDARY_BEFORE = re.compile(
    r"\b(?:as\s+far\s+as|(?:right\s+|all\s+the\s+way\s+|nearly\s+)?(?:up|down)\s+to|nearly\s+to"
    r"|past|above|beyond)\s+(?:the\s+|my\s+|his\s+|her\s+)?(?:left\s+|right\s+)?$",
    re.IGNORECASE,
)
# round 11: "from the feet right up to the thighs", "from the ankle all the way up"
BOUNDARY_AFTER = re.compile(
    r"^\s+(?:right\s+|all\s+the\s+way\s+|further\s+|halfway\s+)?(?:down|downwards|up|upwards)\b",
    re.IGNORECASE,
)
FROM_BEFORE = re.compile(
    r"\bfrom\s+(?:just\s+)?(?:above\s+|below\s+)?(?:the\s+|my\s+|his\s+|her\s+)?(?:left\s+|right\s+)?$",
    re.IGNORECASE,
)


# "My legs ache, especially at night and after a shift": the clause goes on about the ache.
GOES_ON = re.compile(
    r"\s*(?:and\s+)?(?:especially|mostly|mainly|particularly|usually|always|worse|worst)\b", re.I
)


def _boundary(sentence: Span, span: Span) -> bool:
    """A place named as where something reaches, not where it is: "as far as the knee",
    "up to my knee", "just above the kneecap", "numb from the knee down"."""
    text = sentence.text
    start = span.start_char - sentence.start_char
    end = span.end_char - sentence.start_char
    before = text[max(0, start - 40) : start]
    if BOUNDARY_BEFORE.search(before):
        return True
    return bool(FROM_BEFORE.search(before) and BOUNDARY_AFTER.match(text[end:]))


# round 11: what others say or read in general ("everyone says legs swell in pregnancy", "everything
# says both legs"), not the person's complaint.
_REPORTED = re.compile(
    r"\b(?:everyone|everybody|everything|people|they|the\s+internet|google|websites?|articles?)\s+"
    r"(?:says?|said|tells?|told|reckons?|thinks?)\b",
    re.IGNORECASE,
)
# round 11: a long-standing background said with "both" ("both legs have been swollen for a long
# time", "both knees have ached for years").
_LONG_STANDING = re.compile(
    r"\bfor\s+(?:a\s+long\s+time|ages|donkey.?s\s+years|decades|(?:many\s+|several\s+)?years"
    r"|(?:about\s+|over\s+|nearly\s+|almost\s+|around\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twenty)\s+years)\b",
    re.IGNORECASE,
)
# round 11: "I've never had swelling before", "never had swollen feet till now": new, not denied.
NEVER_BEFORE = re.compile(
    r"\bnever\s+(?:had|felt|noticed|experienced|seen|got|suffered\s+(?:from|with))\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
BEFORE_AFTER = re.compile(
    r"^[^.;,!?]{0,40}?\b(?:before|till\s+now|until\s+now|until\s+this|in\s+my\s+life)\b",
    re.IGNORECASE,
)
# round 11: the other leg, named without its side ("the other ankle", "the other one").
OTHER_LIMB = re.compile(
    r"\b(?:the|his|her|my)\s+other\s+(?:legs?|calf|foot|knee|ankle|shin|thigh|hip|one)\b", re.I
)
# round 11: a place named as where something other than a symptom is: the skin, hair or nails
# there ("the skin on that shin has gone shiny and tight"), or what a test showed there ("the
# x-ray showed something in the top of his shin bone"; GUIDELINE: tests are not findings).
OTHER_THING_BEFORE = re.compile(
    r"\b(?:skin|hair|hairs|nails?|toenails?)\s+(?:on|of|over|around|round)\s+"
    r"(?:the|my|his|her|that|this|both|their)\s+(?:(?:left|right|lower|upper)\s+)?$"
    r"|\b(?:x-?rays?|xrays?|scans?|mri|ultrasound|bloods?|tests?)\b(?:\s+\w+){0,3}?\s+"
    r"(?:showed|shows|found|finds|revealed|picked\s+up|came\s+back\s+with)\b[^.;,]{0,60}$",
    re.IGNORECASE,
)
# round 11: a denial said of one circumstance ("I've never had pain in my calves when I walk",
# "no pain in the knee at rest"): it denies the pain then, not the place's pain.
CONDITION_AFTER = re.compile(
    r"^\s*(?:[\w']+\s+){0,2}?(?:when|whenever|while|whilst|if|after|during|unless|at\s+rest"
    r"|on\s+(?:walking|exertion|standing))\b",
    re.IGNORECASE,
)


def _place_of_other(sentence: Span, span: Span) -> bool:
    """A place named as where the skin is or what a test showed, not where it hurts."""
    start = span.start_char - sentence.start_char
    return bool(OTHER_THING_BEFORE.search(sentence.text[max(0, start - 90) : start]))


def _conditional_after(sentence: Span, span: Span) -> bool:
    """A denied place followed by the circumstance it is denied in."""
    return bool(CONDITION_AFTER.match(sentence.text[span.end_char - sentence.start_char :]))


def _months_to_years(months: float | None) -> float | None:
    """Months as a decimal of years (7 months -> 0.58, 18 months -> 1.5)."""
    return None if months is None else round(months / 12, 2)


def _joint_named(part: str) -> bool:
    """A knee or a joint named as the place itself, not as how far something reaches."""
    return any(not EXTENT_BEFORE.search(part[: m.start()]) for m in JOINT.finditer(part))


# "... and she's", "... and he is", "... and I can": a new clause with its own subject, which a
# negation before it does not reach (round 9)
NEW_SUBJECT = re.compile(r"\band\s+(?:i|he|she|they|we)(?:\s|'|’|$)", re.IGNORECASE)


def _negates_stated_negative(doc: Doc, span: Span) -> bool:
    """Whether a negation really turns round a stated negative ("waterworks fine"): not one
    from an earlier item of a list ("no numbness, no weakness, waterworks fine")."""
    for m in span._.modifiers:
        if m.category != "NEGATED_EXISTENCE":
            continue
        lo, hi = m.modifier_span
        if hi <= span.start and "," in doc[hi : span.start].text:
            continue
        if hi <= span.start and NEW_SUBJECT.search(doc[hi : span.start].text):
            continue  # "she hasn't had a fall and she's walking normally": another clause
        if (lo >= span.end or hi <= span.start) and not _clause_between(
            doc, m.modifier_span, (span.start, span.end)
        ):
            return True
    return False


def _clause(sentence: Span, span: Span) -> str:
    """The part of the sentence around ``span`` between commas, semicolons and 'but'."""
    text = sentence.text
    start = span.start_char - sentence.start_char
    end = span.end_char - sentence.start_char
    cuts = [m.end() for m in re.finditer(r"[,;:]|\bbut\b", text[:start])]
    left = cuts[-1] if cuts else 0
    after = re.search(r"[,;:]|\bbut\b", text[end:])
    right = end + after.start() if after else len(text)
    return text[left:right]


def _absorbed(span: Span, entry: Entry, other: Span, other_entry: Entry) -> bool:
    if other is span or (other.start == span.start and other.end == span.end):
        return False
    inside = other.start <= span.start and span.end <= other.end
    if not inside:
        return False
    if other_entry.targets() == entry.targets():
        return True  # the longer phrase of the same finding speaks for it
    if entry.needs_symptom and not other_entry.needs_symptom:
        return not other_entry.keeps_places  # "a pillow between my knees" is no knee pain
    return other_entry.absorbs


def _unplaced(sentences: list[tuple[int, str]], used: list[tuple[int, int]]) -> list[str]:
    out: list[str] = []
    for start, text in sentences:
        end = start + len(text)
        if any(s < end and e > start for s, e in used):
            continue
        if len(re.findall(r"[^\W\d_]{2,}", text)) >= 2:
            out.append(text.strip())
    return out


WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
SENTENCE_END = re.compile(r"[.!?]+(?=\s)|\n+")


def _chunks(text: str) -> list[tuple[int, str]]:
    """Sentences (start, text), a long one cut at a comma or a space near CHUNK_CHARS."""
    out: list[tuple[int, str]] = []
    start = 0
    ends = [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
    for end in ends:
        while end - start > CHUNK_CHARS:
            window = text[start : start + CHUNK_CHARS]
            cut = max(window.rfind(","), window.rfind(";"))
            if cut < CHUNK_CHARS // 2:
                cut = window.rfind(" ")
            if cut < CHUNK_CHARS // 2:
                cut = CHUNK_CHARS - 1
            out.append((start, text[start : start + cut + 1]))
            start += cut + 1
        if end > start:
            out.append((start, text[start:end]))
            start = end
    # Consecutive short sentences go together (the pipeline has a cost per call).
    merged: list[tuple[int, str]] = []
    for s, c in out:
        if merged and len(merged[-1][1]) + len(c) <= CHUNK_CHARS:
            merged[-1] = (merged[-1][0], merged[-1][1] + c)
        else:
            merged.append((s, c))
    return [(s, c) for s, c in merged if c.strip()]


def _blank_out(text: str, chunks: list[tuple[int, str]]) -> str:
    """The text with unread chunks replaced by spaces (offsets stay the same)."""
    if not chunks:
        return text
    parts: list[str] = []
    at = 0
    for start, chunk in sorted(chunks):
        parts.append(text[at:start])
        parts.append(" " * len(chunk))
        at = start + len(chunk)
    parts.append(text[at:])
    return "".join(parts)


def _to_check(answers: dict[str, Value], evidence: dict[str, Evidence]) -> dict[str, Check]:
    out: dict[str, Check] = {}

    def add(fid: str, reason: str, other: str | None = None) -> None:
        ev = evidence[fid]
        out[fid] = Check(fid, ev.value, ev.text, ev.start, ev.end, ev.confidence, reason, other)

    for (fa, va), (fb, vb) in CONFLICTS:
        if answers.get(fa) == va and answers.get(fb) == vb:
            add(fa, "conflict", fb)
            add(fb, "conflict", fa)
    for fid, ev in evidence.items():
        if fid not in out and ev.confidence < CHECK_BELOW:
            add(fid, "low_confidence")
    return out


def _valid_only(answers: dict[str, Value], kb: KnowledgeBase) -> dict[str, Value]:
    valid: dict[str, Value] = {}
    for fid, value in answers.items():
        try:
            valid.update(parse_answers({fid: value}, kb))
        except ValueError:
            continue
    return valid


def _lexicon_words(lexicon: Lexicon) -> set[str]:
    """The words a misspelling may be corrected to: phrase words, and the literal words of
    the patterns (so that a regex-only sign, "cant urinate", is corrected too)."""
    words: set[str] = set()
    for entry in lexicon.entries:
        for phrase in entry.phrases:
            words.update(w for w in re.findall(r"[a-z]+", phrase.lower()) if len(w) >= 4)
        for pattern in entry.patterns:
            literal = re.sub(r"\\[a-zA-Z]", " ", _without_negative_lookarounds(pattern))
            words.update(re.findall(r"[a-z]{5,}", literal))
    return words


def _without_negative_lookarounds(pattern: str) -> str:
    """The pattern without its ``(?!...)`` and ``(?<!...)`` parts: their words are what a
    sign is not ("cramped seats"), so a misspelling is not corrected to them, nor kept from
    being corrected because it is one ("night seats" is still "night sweats")."""
    out: list[str] = []
    i, depth_skip, depth = 0, -1, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if depth_skip < 0:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":  # a character class: copied or skipped whole
            end = i + 1
            while end < len(pattern) and pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            if depth_skip < 0:
                out.append(pattern[i : end + 1])
            i = end + 1
            continue
        if ch == "(":
            if depth_skip < 0 and pattern.startswith(("(?!", "(?<!"), i):
                depth_skip = depth
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == depth_skip:
                depth_skip = -1
                i += 1
                continue
        if depth_skip < 0:
            out.append(ch)
        i += 1
    return "".join(out)


SPELLING_CACHE_MAX = 50_000


def _words_in(fragment: str) -> set[str]:
    stripped = re.sub(r"\\[a-zA-Z]", " ", fragment)
    stripped = re.sub(r"\[[^\]]*\][?*]?", " ", stripped)  # character classes
    stripped = re.sub(r"[a-z][?*]|\{0,\d+\}", " ", stripped)  # an optional letter ("falls?")
    return set(re.findall(r"[a-z]{3,}", stripped))


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """A regex's characters with their group depth (a parenthesis at the depth outside
    it); an escape or a character class comes as one space."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            yield i, " ", depth
            i += 2
            continue
        if c == "[":  # a class may hold parentheses
            end = pattern.find("]", i + 2)
            yield i, " ", depth
            i = (len(pattern) - 1 if end == -1 else end) + 1
            continue
        if c == ")":
            depth -= 1
        yield i, c, depth
        if c == "(":
            depth += 1
        i += 1


def _top_level(pattern: str) -> tuple[str, list[tuple[str, str]]]:
    """The pattern outside its groups, and each top-level group with what follows it."""
    outside: list[str] = []
    groups: list[tuple[str, str]] = []
    start = 0
    for i, c, depth in _scan(pattern):
        if depth:
            continue
        if c == "(":
            start = i
        elif c == ")":
            groups.append((pattern[start + 1 : i], pattern[i + 1 : i + 3]))
        else:
            outside.append(c)
    return "".join(outside), groups


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters any match of ``pattern`` starts with, if a small set says so (None
    when unsure): its leading zero-width parts (lookbehinds, lookaheads, ``\\b``) are
    skipped, and the next part must take at least one character and be a literal, a
    character set or a group of alternatives each starting so."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser as sre  # type: ignore[attr-defined]

    def first(items: list[tuple[object, object]]) -> frozenset[str] | None:
        for op, arg in items:
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue  # zero width: the match starts at the next part
            if op is c.LITERAL:
                return frozenset(chr(arg))  # type: ignore[arg-type]
            if op is c.IN:
                chars: set[str] = set()
                for kind, value in arg:  # type: ignore[attr-defined]
                    if kind is c.LITERAL:
                        chars.add(chr(value))
                    elif kind is c.RANGE and value[1] - value[0] < 64:
                        chars.update(chr(x) for x in range(value[0], value[1] + 1))
                    else:
                        return None  # a negated set or a category: too wide to say
                return frozenset(chars)
            if op is c.SUBPATTERN:
                return first(list(arg[-1]))  # type: ignore[index]
            if op is c.BRANCH:
                out: set[str] = set()
                for branch in arg[1]:  # type: ignore[index]
                    got = first(list(branch))
                    if got is None:
                        return None
                    out |= got
                return frozenset(out)
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:  # type: ignore[index]
                return first(list(arg[2]))  # type: ignore[index]
            return None  # an optional part, a backreference...: unsure
        return None

    try:
        parsed = sre.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None  # other cases of a letter, or spaces that mean nothing
        chars = first(list(parsed))
    except (re.error, AttributeError, TypeError, ValueError):
        return None
    return chars if chars and len(chars) <= 24 else None


def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, with a lookahead for the characters its matches start
    with in front: the same matches (the lookahead is read under the same flags, so with
    IGNORECASE it takes every case of them), but a pattern that begins with lookbehinds is
    no longer tried at every position (about ten times faster on the longest texts)."""
    chars = None if flags & re.VERBOSE else _first_chars(pattern)
    if chars is None:
        return re.compile(pattern, flags)
    ahead = "(?=[" + "".join(re.escape(ch) for ch in sorted(chars)) + "])"
    try:  # grouped, so that it stands before every top-level alternative
        return re.compile(ahead + "(?:" + pattern + ")", flags)
    except re.error:
        return re.compile(pattern, flags)


def _literals(pattern: str) -> tuple[str, ...]:
    """Words of 3+ letters such that every match holds at least one; () when unsure.

    Sound when the pattern has a required part spelling a word: a word outside all groups
    (a letter followed by ? or * does not count), or a group that is not optional and whose
    every branch spells a word. Then any match holds that part, so any of the pattern's words
    may stand for it. `test_a_patterns_words_are_in_every_match_it_makes` checks it."""
    outside, groups = _top_level(pattern)
    if "|" in outside:
        return ()  # a top-level alternative might be letter-free
    required = bool(_words_in(outside))
    for body, after in groups:
        if after[:1] in ("?", "*") or after.startswith("{0"):
            continue
        if body.startswith(("?=", "?!", "?<=", "?<!")):
            continue  # a lookaround matches no text
        branches = re.sub(r"^\?(?::|P<\w+>)", "", body)
        parts = _split_top(branches)
        if parts and all(_words_in(_top_level(b)[0]) for b in parts):
            required = True
    return tuple(sorted(_words_in(pattern))) if required else ()


def _split_top(body: str) -> list[str]:
    """A group's branches (the '|' at its own level)."""
    parts: list[str] = []
    last = 0
    for i, c, depth in _scan(body):
        if c == "|" and depth == 0:
            parts.append(body[last:i])
            last = i + 1
    parts.append(body[last:])
    return parts


def _proper_noun(doc: Doc, i: int) -> bool:
    """A capitalised word inside a sentence ("lovely in Spain") is a name, not a misspelling."""
    text = doc[i].text
    return (
        i > 0
        and text[:1].isupper()
        and not text.isupper()
        and doc[i - 1].text not in (".", "!", "?", "\n")
        and not doc[i - 1].text.endswith("\n")
    )


def _vowel_slip(a: str, b: str) -> bool:
    return all(x in "aeiouy" and y in "aeiouy" for x, y in zip(a, b, strict=True) if x != y)


def _one_swap_or_substitution(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


class _Spelling:
    """Sets a near-miss word's norm to the lexicon word it most likely means ('tingleing');
    the indices of the corrected tokens go in ``doc.user_data[SPELLING_KEY]``."""

    def __init__(self, words: set[str], known: Iterable[str] = ()) -> None:
        # ``known``: real words that are never corrected, nor corrected to (a misspelling
        # "corrected" to one would mean nothing to the lexicon: "sweaes" is sweats, not
        # swears).
        targets = set(words)
        self.words = targets | {w.lower() for w in known}
        self.by_key: dict[tuple[str, int], list[str]] = {}
        for w in sorted(targets):
            self.by_key.setdefault((w[0], len(w)), []).append(w)
        self.cache: dict[str, str | None] = {}

    def _options(self, word: str) -> list[str]:
        n = len(word)
        return [w for k in range(n - 2, n + 3) for w in self.by_key.get((word[0], k), [])]

    def __call__(self, doc: Doc) -> Doc:
        changed: list[int] = []
        for token in doc:
            lower = token.lower_
            if (
                len(lower) < FUZZY_MIN_LENGTH
                or lower in self.words
                or not token.is_alpha
                or token.is_stop
                or _proper_noun(doc, token.i)
            ):
                continue
            if lower not in self.cache:
                if len(self.cache) > SPELLING_CACHE_MAX:
                    self.cache.clear()
                options = self._options(lower)
                near = [w for w in options if _one_swap_or_substitution(lower, w)]
                # Two letters swapped first ("sweast": sweats, not sweat), then difflib's
                # closest, then one wrong letter (6+ letters only).
                close = [w for w in near if sorted(w) == sorted(lower)][:1]
                if not close:
                    close = difflib.get_close_matches(lower, options, n=1, cutoff=FUZZY_CUTOFF)
                if not close and len(lower) >= 6:
                    # a vowel for a vowel is the likeliest slip ("waaker": weaker, not walker)
                    near.sort(key=lambda w: (not _vowel_slip(lower, w), w))
                    close = near[:1]
                self.cache[lower] = close[0] if close else None
            corrected = self.cache[lower]
            if corrected is not None:
                token.norm_ = corrected
                changed.append(token.i)
        doc.user_data[SPELLING_KEY] = changed
        return doc


@cache
def _reader(language: str) -> _Reader:
    return _Reader(load_lexicon(language), load_knowledge())


def parse(text: str, language: str = DEFAULT_LANGUAGE) -> ParseResult:
    """Read what a person wrote; return the findings it states, with evidence.

    Never raises on any text (a non-string is a ``TypeError``). ``answers`` always passes
    the engine's answer check. The pipeline is built once per language and cached.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes text (str), got {type(text).__name__}")
    return _reader(language).read(text)
