"""The consoles and the error line every ``legpain`` command shares."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

EXIT_BAD_INPUT = 2

out = Console()
# soft_wrap: error lines stay whole when stderr is a file or a pipe, for grep.
err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> None:
    """Report bad input on stderr (the message is escaped: it may quote user text)."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
