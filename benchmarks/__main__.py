"""`make bench`: the main pages at 1× and 100× the plan (BENCH_FACTORS), each as the role that
uses it, uncached and cached; the meeting workbook and an import; the meeting documents as
downloaded (workbook and PDF); written to RESULTS.md.

Runs in databases of its own (one per scale, named after DATABASE_URL's and dropped and
re-created; see benchmarks.Scales), so it never touches real or demo data, nor another run's.
"""

import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

from benchmarks import Scales, median_ratio, memory_mb, reset_peak_memory, setup_django

setup_django()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

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
if FACTORS[0] != 1:
    sys.exit(f"BENCH_FACTORS={FACTORS}: the first scale must be 1 (every ratio is to 1×).")
EXCEL = os.environ.get("BENCH_EXCEL", "on") != "off"
ROUNDS = 7  # timed requests per page and scale, the scales taking turns


def first_request(client: Client, url: str, *, cached: bool) -> dict:
    """Queries, bytes and memory growth of one request. Uncached: the cache emptied first.
    Cached: after one request that fills it (and keeps it filled for timed_in_turns)."""
    cache.clear()
    if cached:
        client.get(url)
    before, _peak = memory_mb()
    reset_peak_memory()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return {
        "queries": len(queries),
        "bytes": len(response.content),
        "grew_mb": max(0.0, memory_mb()[1] - before),
    }


def timed_in_turns(scales: Scales, requests: dict, *, cached: bool) -> dict:
    """ROUNDS requests of each scale's url, the scales taking turns (1×, 100×, then 100×, 1×…:
    whichever request leaves the other garbage to collect, it is not always the same one), so
    that each pair is measured seconds apart: their median times in ms, and the median of the
    pairs' ratios to 1×. `requests`: factor → (client, url). Uncached: the scale's cache
    emptied before every request (outside the clock); cached: as first_request filled it
    (each scale has its cache)."""
    times = {factor: [] for factor in requests}
    for round_ in range(ROUNDS):
        for factor, (client, url) in list(requests.items())[:: -1 if round_ % 2 else 1]:
            scales.use(factor)
            if not cached:
                cache.clear()
            start = time.perf_counter()
            response = client.get(url)
            times[factor].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return {
        factor: {"ms": statistics.median(series), "ratio": median_ratio(series, times[1])}
        for factor, series in times.items()
    }


def main() -> None:
    setup_test_environment()
    scales = Scales(FACTORS)
    try:
        run(scales)
    finally:
        scales.destroy()


def run(scales: Scales) -> None:
    out = Report()
    db = scales.use(FACTORS[0]).settings_dict
    where = "in memory" if connection.vendor == "sqlite" else f"{db['NAME']}… on port {db['PORT']}"
    machine = f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out.line(f"# make bench — {machine}")
    out.line("")
    out.line(
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; database: {connection.vendor} "
        f"({where}), one database per scale; Django test client in one process, no network; "
        "each page as the role that uses it. **Uncached**: the cache emptied before every "
        f"request; **cached**: after one request. Times: median of {ROUNDS} requests, the "
        "scales taking turns request by request (so the machine's drift in speed falls on "
        "both alike); **ratio**: the median of those pairs' ratios. **+MB**: how much the "
        "process's peak resident memory (VmHWM) rose during one uncached request."
    )
    sizes, calendars, clients = {}, {}, {}
    for factor in FACTORS:
        scales.use(factor)
        start = time.perf_counter()
        calendars[factor] = data.grow(factor)
        sizes[factor] = {**data.sizes(), "build s": round(time.perf_counter() - start, 1)}
        print(f"{factor}×: {sizes[factor]}", flush=True)
        clients[factor] = {None: Client()}
        for role, user in data.signed_in_users().items():
            clients[factor][role] = Client()
            clients[factor][role].force_login(user, backend="projects.backends.RolesBackend")
    pages = {}
    for address, role in PAGES:
        requests = {}
        for factor in FACTORS:
            year, quarter = calendars[factor].open_now or calendars[factor].last_due
            url = address.format(code=data.SHOWCASE, year=year, quarter=quarter)
            requests[factor] = (clients[factor][role], url)
        for cached in (False, True):
            firsts = {}
            for factor, (client, url) in requests.items():
                scales.use(factor)
                firsts[factor] = first_request(client, url, cached=cached)
            timed = timed_in_turns(scales, requests, cached=cached)
            for factor in FACTORS:
                pages.setdefault((address, role, factor), []).append(firsts[factor] | timed[factor])
        print(f"  {address} as {role}: {[pages[address, role, f] for f in FACTORS]}", flush=True)
    memory = memory_mb()
    excel, papers = [], []
    for factor in FACTORS:
        scales.use(factor)
        if EXCEL and factor in (1, 100, FACTORS[-1]):
            excel += workbook.export_rows(f"{factor}×", *calendars[factor].last_due)
            papers += documents.rows(
                f"{factor}×", clients[factor]["committee"], *calendars[factor].last_due
            )
    if EXCEL:
        excel += workbook.import_rows(1000)
    _write(out, sizes, pages, excel, memory)
    if papers:
        documents.section(out, papers)
    refusals.section(out, data.signed_in_users()["coordinator"])
    out.save(Path(__file__).with_name("RESULTS.md"))


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
            (u1, _c1), (un, cn) = pages[address, role, 1], pages[address, role, factor]
            ratio = un["ratio"]
            out.line(
                f"| {address} | {u1['ms']:.1f} → {un['ms']:.1f} | {ratio:.1f}× "
                f"| {u1['queries']} → {un['queries']} "
                f"| {u1['bytes'] / 1024:.0f} → {un['bytes'] / 1024:.0f} "
                f"| {cn['ratio']:.1f}× | {'ok' if ratio <= 2 else '**over**'} |"
            )
    out.line("")
    rss, peak = memory
    out.line(
        "Resident memory of the bench process after the pages at every scale (VmRSS / peak "
        f"VmHWM since the last page's reset): {rss:.0f} / {peak:.0f} MB."
    )
    if excel:
        out.line("")
        out.line("## Excel")
        out.line("")
        for line in workbook.table(excel):
            out.line(line)


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
