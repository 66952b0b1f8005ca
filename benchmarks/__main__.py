"""`make bench`: the main pages at 1× and 100× the plan (BENCH_FACTORS), each as the role that
uses it, uncached and cached; the meeting workbook and an import; the meeting documents as
downloaded (workbook and PDF); written to RESULTS.md.

Runs in a database of its own (the one DATABASE_URL names, dropped and re-created; see
benchmarks.throwaway_database), so it never touches real or demo data, nor another run's.
"""

import os
import platform
import statistics
import time
from datetime import datetime
from pathlib import Path

from benchmarks import memory_mb, reset_peak_memory, setup_django, throwaway_database

setup_django()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from projects.models import ProgressReport  # noqa: E402

from . import data, documents, refusals, workbook  # noqa: E402

# (address, who asks: a key of data.signed_in_users() or None for nobody signed in)
PAGES = [
    ("/", "committee"),
    ("/plan/", "committee"),
    ("/projects/", "staff"),
    ("/projects/{code}/", "staff"),
    ("/projects/{code}/plans/{year}/", "staff"),
    ("/projects/{code}/reports/{year}/{quarter}/", "staff"),
    ("/my/", "staff"),
    ("/review/", "coordinator"),
    ("/proposals/", "committee"),
    ("/public/", None),
    ("/healthz", None),
    ("/bench/floor", None),
]
FACTORS = [int(f) for f in os.environ.get("BENCH_FACTORS", "1,100").split(",")]
EXCEL = os.environ.get("BENCH_EXCEL", "on") != "off"
# Requests per figure: at least MIN_RUNS, more (up to MAX_RUNS) while under BUDGET_S seconds.
MIN_RUNS, MAX_RUNS, BUDGET_S = 3, 9, 4.0


def measure(client: Client, url: str, *, cached: bool) -> dict:
    """Queries, bytes and memory growth of one request, and the median time of it and the
    next ones. Uncached: the cache is emptied before every request (outside the clock).
    Cached: after one request that fills it."""
    cache.clear()
    if cached:
        client.get(url)
    before, _peak = memory_mb()
    reset_peak_memory()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        times = [(time.perf_counter() - start) * 1000]
    assert response.status_code == 200, (url, response.status_code)
    figures = {
        "queries": len(queries),  # read now: later requests reset the connection's query log
        "bytes": len(response.content),
        "grew_mb": max(0.0, memory_mb()[1] - before),
    }
    while len(times) < MIN_RUNS or (len(times) < MAX_RUNS and sum(times) < BUDGET_S * 1000):
        if not cached:
            cache.clear()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    figures["ms"] = statistics.median(times)
    figures["runs"] = len(times)
    return figures


def main() -> None:
    setup_test_environment()
    old_name = throwaway_database(connection)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    out = Report()
    db = connection.settings_dict
    where = "in memory" if connection.vendor == "sqlite" else f"{db['NAME']} on port {db['PORT']}"
    machine = f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out.line(f"# make bench — {machine}")
    out.line("")
    out.line(
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; database: {connection.vendor} "
        f"({where}); Django test client in one process, no network; each page as the role "
        "that uses it. **Uncached**: the cache emptied before every request; **cached**: "
        f"after one request. Times: median of {MIN_RUNS}–{MAX_RUNS} requests. **+MB**: how "
        "much the process's peak resident memory (VmHWM) rose during one uncached request."
    )
    sizes, pages, excel, memory, papers = {}, {}, [], {}, []
    for factor in FACTORS:
        start = time.perf_counter()
        calendar = data.grow(factor)
        built = time.perf_counter() - start
        sizes[factor] = {**data.sizes(), "build s": round(built, 1)}
        print(f"{factor}×: {sizes[factor]}", flush=True)
        year, quarter = calendar.open_now or calendar.last_due
        clients = {None: Client()}
        for role, user in data.signed_in_users().items():
            clients[role] = Client()
            clients[role].force_login(user, backend="projects.backends.RolesBackend")
        for address, role in PAGES:
            url = address.format(code=data.SHOWCASE, year=year, quarter=quarter)
            uncached = measure(clients[role], url, cached=False)
            cached = measure(clients[role], url, cached=True)
            pages[address, role, factor] = (uncached, cached)
            print(f"  {url} as {role}: {uncached} / cached {cached}", flush=True)
        memory[factor] = memory_mb()
        if EXCEL and factor in (1, 100, FACTORS[-1]):
            excel += workbook.export_rows(f"{factor}×", *calendar.last_due)
            papers += documents.rows(f"{factor}×", clients["committee"], *calendar.last_due)
    if EXCEL:
        excel += _import_rows()
    _write(out, sizes, pages, excel, memory)
    if papers:
        documents.section(out, papers)
    refusals.section(out, data.signed_in_users()["coordinator"])
    out.save(Path(__file__).with_name("RESULTS.md"))


def _import_rows() -> list[tuple]:
    """workbook.import_rows files 2026 Q4 and 2027 Q1 afresh; the data already holds 2026 Q4
    reports (drafts, submissions), so they are set aside for the measurement and put back."""
    with transaction.atomic():
        ProgressReport.objects.filter(year=2026, quarter=4).delete()
        rows = workbook.import_rows(1000)
        transaction.set_rollback(True)
    return rows


def _write(out, sizes, pages, excel, memory) -> None:
    factors = list(sizes)
    out.line("")
    out.line("## Data")
    out.line("")
    out.line("| | " + " | ".join(f"{f}×" for f in factors) + " |")
    out.line("|---|" + "---|" * len(factors))
    for key in next(iter(sizes.values())):
        out.line(f"| {key} | " + " | ".join(f"{sizes[f][key]:,}" for f in factors) + " |")
    out.line("")
    out.line("## Pages")
    out.line("")
    out.line("| page | as | scale | queries | ms | KB | +MB | cached queries | cached ms |")
    out.line("|---|---|---|---|---|---|---|---|---|")
    for (address, role, factor), (u, c) in pages.items():
        out.line(
            f"| {address} | {role or 'anonymous'} | {factor}× | {u['queries']} | {u['ms']:.1f} "
            f"| {u['bytes'] / 1024:.1f} | {u['grew_mb']:.1f} | {c['queries']} | {c['ms']:.1f} |"
        )
    for factor in factors[1:]:
        out.line("")
        out.line(f"## {factor}× against 1× (target: uncached ≤ 2×)")
        out.line("")
        out.line("| page | uncached ms | ratio | queries | KB | cached ratio | target |")
        out.line("|---|---|---|---|---|---|---|")
        for address, role in PAGES:
            (u1, c1), (un, cn) = pages[address, role, 1], pages[address, role, factor]
            ratio = un["ms"] / u1["ms"]
            out.line(
                f"| {address} | {u1['ms']:.1f} → {un['ms']:.1f} | {ratio:.1f}× "
                f"| {u1['queries']} → {un['queries']} "
                f"| {u1['bytes'] / 1024:.0f} → {un['bytes'] / 1024:.0f} "
                f"| {cn['ms'] / c1['ms']:.1f}× | {'ok' if ratio <= 2 else '**over**'} |"
            )
    out.line("")
    out.line("Resident memory of the bench process after each scale's pages (VmRSS / peak VmHWM "
             "since the last page's reset): "
             + "; ".join(f"{f}×: {rss:.0f} / {peak:.0f} MB" for f, (rss, peak) in memory.items())
             + ".")  # fmt: skip
    if excel:
        out.line("")
        out.line("## Excel")
        out.line("")
        out.line("| Excel | how | rows | seconds | peak MB (tracemalloc) | peak MB (RSS growth) |")
        out.line("|---|---|---|---|---|---|")
        for what, how, rows, seconds, traced, rss in excel:
            out.line(f"| {what} | {how} | {rows:,} | {seconds:.2f} | {traced:.1f} | {rss:.1f} |")


class Report:
    """Collects the lines of RESULTS.md, printing each one too."""

    def __init__(self):
        self.lines = []

    def line(self, text: str) -> None:
        print(text, flush=True)
        self.lines.append(text)

    def save(self, path: Path) -> None:
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
