"""Command-line interface (Typer + Rich). No clinical logic lives here."""
