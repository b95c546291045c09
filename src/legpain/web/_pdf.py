"""The result as a PDF for the doctor, rendered by WeasyPrint from result_pdf.html:
a first page that sums it up, then the details (at most 3 pages for a typical result)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

STYLESHEET = Path(__file__).with_name("static") / "pdf.css"


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> Any:
    # Everything the PDF needs is inline; nothing is fetched, from the network or disk.
    raise ValueError(f"not fetched: {url[:40]}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # slow to import: only when a PDF is asked for

    document = HTML(string=html, url_fetcher=_no_fetching)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    return pdf
