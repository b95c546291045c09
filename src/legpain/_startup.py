"""Start-up mode for the garbage collector, for the ``legpain`` command and server.

A cold start makes some 80,000 tracked objects that live as long as the process
(a cold ``legpain assess``; the server more): modules, classes, functions, the
knowledge base, the engine's tables, the web app's routes. The cyclic collector's
passes over them, young and full, free almost nothing yet cost about 0.14 s of a
cold ``legpain assess`` and as much of ``legpain serve``. So while a command
starts, the collector runs rarely (``begin``); once the command has loaded what it
keeps (``done``), the objects made so far are moved out of the collector's reach
(``gc.freeze``) and it runs as usual again, over what is new. Only when the
collector runs changes, never what a command computes or prints.
"""

from __future__ import annotations

import gc

# A young collection every this many new container objects while starting, against
# Python's 700: rare, yet memory stays bounded if a command never calls done().
START_UP_THRESHOLD = 100_000

_saved: tuple[int, int, int] | None = None


def begin() -> None:
    """Collect rarely until done()."""
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(START_UP_THRESHOLD, _saved[1], _saved[2])


def done() -> None:
    """Start-up is over: what exists now is left alone, and the collector runs as
    usual from here. Idempotent; harmless where begin() was not called (a server
    worker started by uvicorn)."""
    global _saved
    gc.freeze()
    if _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None
