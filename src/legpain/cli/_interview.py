"""The terminal interview: one question at a time, typed answers, back and why.

Reads plain lines so that it works in any terminal, over ssh, with a screen
reader, and from a script (the tests drive it with keystrokes on stdin).
No clinical logic here: the questions, their order and the result come from
``legpain.Interview``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from legpain.engine import UNKNOWN, CaseError
from legpain.interview import MAX_QUESTIONS, Interview, Question

HELP = "b = back · ? = why we ask · q = quit"
PHASES = {
    "about_you": "About you",
    "screen": "Warning signs",
    "checklist": "Your symptoms",
    "question": "Your symptoms",
}
# The simulated median is about nine questions; show progress against a
# typical length so the bar moves, and never claim to know the exact end.
TYPICAL_LENGTH = 10


class Quit(Exception):
    """The person chose to stop (or the input ended)."""


class Back(Exception):
    """The person asked to go back one question."""


def _human(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _progress(asked: int) -> Text:
    expected = max(TYPICAL_LENGTH, asked + 1)
    width = 20
    filled = min(width, round(width * asked / expected))
    bar = Text("■" * filled + "□" * (width - filled), style="cyan")
    return Text.assemble(bar, f" question {asked + 1} (usually about {TYPICAL_LENGTH} in all)")


def _read(read_line: Callable[[str], str], prompt: str) -> str:
    try:
        line = read_line(prompt)
    except EOFError:
        raise Quit from None
    return line.strip().lower()


def _ask_once(question: Question, console: Console, read_line: Callable[[str], str]) -> Any:
    """Show ``question`` until a well-formed answer arrives; return it."""
    while True:
        if question.items:
            console.print(Text(question.text, style="bold"))
            for n, text in enumerate(question.item_texts, 1):
                console.print(f"  [bold]{n}[/]) {escape(text)}")
            console.print(
                "  Type the numbers that apply (for example 1 3), [bold]0[/] for none of them, "
                "or [bold]d[/] if you don't know."
            )
        elif question.type == "number":
            limits = (
                f" ({question.minimum:g}-{question.maximum:g})"
                if question.minimum is not None and question.maximum is not None
                else ""
            )
            console.print(Text(question.text + limits, style="bold"))
            console.print("  Type a number, or [bold]d[/] if you don't know.")
        else:
            console.print(Text(question.text, style="bold"))
            options = ["yes", "no"] if question.type == "boolean" else list(question.choices)
            for n, option in enumerate(options, 1):
                console.print(f"  [bold]{n}[/]) {escape(_human(option))}")
            console.print(f"  [bold]{len(options) + 1}[/]) Don't know")
        if question.suggested is not None:
            console.print(Text(f"From what you wrote, probably: {_likely(question)}", "italic"))
        console.print(Text(HELP, style="dim"))

        line = _read(read_line, "> ")
        if line in ("q", "quit", "exit"):
            raise Quit
        if line in ("b", "back"):
            raise Back
        if line in ("?", "why", "h"):
            console.print(Panel(question.why or "It helps tell the possible causes apart."))
            continue
        if line in ("d", "don't know", "dont know", "unknown"):
            return UNKNOWN
        parsed = _parse(question, line)
        if parsed is not None:
            return parsed
        console.print(Text(f"Sorry, I did not understand {line!r}. {_expected(question)}", "red"))


def _likely(question: Question) -> str:
    """The likely answer read from the text, in words (please check)."""

    def word(v: Any) -> str:
        if isinstance(v, bool):
            return "yes" if v else "no"
        return f"{v:g}" if isinstance(v, float) else _human(str(v))

    value = question.suggested
    if isinstance(value, dict):
        texts = dict(zip(question.items, question.item_texts, strict=True))
        return "; ".join(f"{texts.get(k, k)}: {word(v)}" for k, v in value.items())
    return word(value)


def _expected(question: Question) -> str:
    if question.items:
        return (
            f"Type numbers from 1 to {len(question.items)} separated by spaces, 0 for none, or d."
        )
    if question.type == "number":
        return "Type a number, or d if you don't know."
    n = 2 if question.type == "boolean" else len(question.choices)
    return f"Type a number from 1 to {n + 1}."


def _parse(question: Question, line: str) -> Any:
    """The answer ``line`` stands for, or None if it is not a valid answer."""
    if question.items:
        if line in ("0", "none", "n", "no"):
            return []
        numbers = re.split(r"[\s,;]+", line)
        if not all(x.isdigit() and 1 <= int(x) <= len(question.items) for x in numbers):
            return None
        return [question.items[int(x) - 1] for x in dict.fromkeys(numbers)]
    if question.type == "number":
        try:
            return float(line.replace(",", "."))
        except ValueError:
            return None
    options: list[Any] = [True, False] if question.type == "boolean" else list(question.choices)
    words = ["yes", "no"] if question.type == "boolean" else [c.lower() for c in question.choices]
    if line in words:
        return options[words.index(line)]
    if line in ("y",) and question.type == "boolean":
        return True
    if line.isdigit():
        n = int(line)
        if 1 <= n <= len(options):
            return options[n - 1]
        if n == len(options) + 1:
            return UNKNOWN
    return None


def ask_respondent(console: Console, read_line: Callable[[str], str]) -> str:
    """Who the answers are about: "self", "child" or "other" (Enter: the person typing)."""
    choices = [(r.id, r.label) for r in Interview().engine.kb.respondents.respondents]
    if not choices:
        return "self"
    console.print(Text("Who is this for?", style="bold"))
    for n, (_, label) in enumerate(choices, 1):
        console.print(f"  [bold]{n}[/]) {escape(label)}")
    while True:
        line = _read(read_line, "> ")
        if line in ("q", "quit", "exit"):
            raise Quit
        if line == "":
            return "self"
        if line.isdigit() and 1 <= int(line) <= len(choices):
            return choices[int(line) - 1][0]
        console.print(Text(f"Type a number from 1 to {len(choices)}.", style="red"))


def run_interview(
    interview: Interview,
    console: Console,
    read_line: Callable[[str], str],
    *,
    ask_who: bool = False,
) -> bool:
    """Ask questions until the interview ends (True) or the person quits (False).

    With ``ask_who``, first asks who the answers are about and words the questions
    for them (off by default: scripted keystrokes start with the first question)."""
    console.print(
        Panel(
            "If you have chest pain, trouble breathing, or a cold, pale, numb leg, "
            "stop now and call emergency services (999, 112 or 911).",
            title="First",
            style="bold white on red",
        )
    )
    console.print(
        "legpain asks a few questions about your leg pain and suggests possible causes, "
        "how soon to see a doctor and what you can safely do tonight. It is not a diagnosis."
    )
    if ask_who and interview.questions_asked == 0:
        try:
            interview.respondent = ask_respondent(console, read_line)
        except Quit:
            return False
    while (question := interview.next_question()) is not None:
        console.print()
        console.print(Text(PHASES.get(question.kind, ""), style="bold magenta"))
        console.print(_progress(interview.questions_asked))
        try:
            value = _ask_once(question, console, read_line)
        except Back:
            if not interview.undo():
                console.print(Text("This is the first question.", style="yellow"))
            continue
        except Quit:
            return False
        try:
            interview.answer(question.id, value)
        except CaseError as exc:  # a number out of range, say: explain and ask again
            console.print(Text(f"{exc} Please try again.", style="red"))
    if interview.questions_asked >= MAX_QUESTIONS:
        console.print(Text("That is the most questions legpain asks.", style="dim"))
    return True
