"""The committee's meeting documents as a committee member downloads them: the workbook
(/export/workbook.xlsx) and the PDF (/export/briefing.pdf), each timed through its view.

Targets at 1×: the workbook under 0.5 s, the PDF under 3 s. Beside the time on the clock, the
process's CPU time: on a shared machine the clock also counts other programs' turns."""

import re
import shutil
import statistics
import subprocess
import time

from django.test import Client

DOCUMENTS = [
    ("workbook", "/export/workbook.xlsx?year={year}&quarter={quarter}", 0.5),
    ("PDF", "/export/briefing.pdf?year={year}&quarter={quarter}", 3.0),
]
RUNS_UNDER = 10.0  # seconds: a document this quick is timed three times (median), else once


def rows(label: str, client: Client, year: int, quarter: int) -> list[tuple]:
    """(scale, document, seconds, CPU seconds, KB, PDF pages or "", target seconds) of each
    document (medians)."""
    found = []
    for name, address, target in DOCUMENTS:
        url = address.format(year=year, quarter=quarter)
        times, cpu = [], []
        while not times or (len(times) < 3 and sum(times) < RUNS_UNDER):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200, (url, response.status_code)
        pages = pdf_pages(response.content) if name == "PDF" else ""
        size = len(response.content) / 1024
        median = statistics.median
        found.append((label, name, median(times), median(cpu), size, pages, target))
    return found


def pdf_pages(content: bytes) -> int | str:
    """The page count by poppler's pdfinfo ("?" without it)."""
    if not shutil.which("pdfinfo"):
        return "?"
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True).stdout
    found = re.search(rb"Pages:\s+(\d+)", info)
    return int(found[1]) if found else "?"


def section(out, documents: list[tuple]) -> None:
    out.line("")
    out.line("## Meeting documents (targets at 1×: workbook < 0.5 s, PDF < 3 s)")
    out.line("")
    out.line("| scale | document | seconds | CPU seconds | KB | pages | target |")
    out.line("|---|---|---|---|---|---|---|")
    for label, name, seconds, cpu, size, pages, target in documents:
        verdict = ("ok" if seconds < target else "**over**") if label == "1×" else "—"
        out.line(
            f"| {label} | {name} | {seconds:.2f} | {cpu:.2f} | {size:,.0f} | {pages} | {verdict} |"
        )
