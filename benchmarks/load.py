"""`make load`: gunicorn + PostgreSQL on loopback, USERS simulated people for SECONDS (locust,
headless) reading pages by role and saving drafts; then a check that every save they were
told succeeded is in the database's history.

Run as `python -m benchmarks.load`: builds the data (benchmarks.data, LOAD_FACTOR × the plan)
in the database DATABASE_URL names (dropped and re-created), starts gunicorn on LOAD_PORT (a
free port by default), and runs locust on benchmarks/locustfile.py (the people).

The people are signed in before the clock starts (a session each, as after the sign-in form):
signing in checks a password with 1,000,000 PBKDF2 rounds on purpose, about half a second of
CPU, and 100 of them at once would be a measurement of that alone.
"""

import csv
import http.client
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

USERS = int(os.environ.get("LOAD_USERS", "100"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
# Who the simulated people are: (role, how many in 100).
MIX = [("staff", 60), ("committee", 25), ("coordinator", 15)]
# gunicorn's sync workers: as many as `make serve` starts (WORKERS, the Makefile's default), so
# that the run measures what is served.
WORKERS = int(os.environ.get("WORKERS", "3"))


def report_url(code: str, year: int, quarter: int) -> str:
    return f"/projects/{code}/reports/{year}/{quarter}/"


def save_url(page_url: str) -> str:
    """Where a report's draft save is posted: the report page's own save action."""
    return f"{page_url}save/"


# --- The run -------------------------------------------------------------------------------


def main() -> int:
    from benchmarks import setup_django, throwaway_database

    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print("make load needs PostgreSQL (DATABASE_URL=postgres://…)")
        return 2
    setup_test_environment()
    old_name = throwaway_database(connection)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    from django.db import connection
    from django.test import Client

    from benchmarks import ROOT, data, database_url
    from projects.models import Department, Project, User

    calendar = data.grow(int(os.environ.get("LOAD_FACTOR", "1")))
    year, quarter = calendar.open_now or calendar.last_due
    running = Project.objects.filter(start_year__lte=year, end_year__gte=year)
    staff = []  # (user, codes of the projects their department files for)
    for department in Department.objects.order_by("code"):
        codes = running.filter(lead_department=department).values_list("code", flat=True)
        if codes:
            staff.append((User.objects.get(username=f"staff-{department.code}"), " ".join(codes)))
    everything = " ".join(running.values_list("code", flat=True)[:200])
    readers = {
        "committee": User.objects.get(username=data.COMMITTEE),
        "coordinator": User.objects.get(username=data.COORDINATOR),
    }
    roles = [role for role, share in MIX for _ in range(share)]
    people = []  # "role:session key:codes", one signed-in session per simulated person
    for n in range(USERS):
        role = roles[n % len(roles)]
        user, codes = staff[n % len(staff)] if role == "staff" else (readers[role], everything)
        client = Client()
        client.force_login(user, backend="projects.backends.RolesBackend")
        people.append(f"{role}:{client.session.session_key}:{codes}")
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    stem = f"load-{connection.settings_dict['NAME']}"  # two runs on two databases keep apart
    saves = build / f"{stem}-saves.tsv"
    saves.write_text("", encoding="utf-8")
    port = int(os.environ.get("LOAD_PORT") or free_port())
    server = start_gunicorn(database_url(connection), port)
    try:
        warm_up(port, people, year=year, quarter=quarter)
        env = os.environ | {
            "LOAD_PEOPLE": ",".join(people),
            "LOAD_SAVES": str(saves),
            "LOAD_PERIOD": f"{year}-{quarter}",
        }
        serving = worker_pids(server.pid)
        workers_cpu, machine_cpu = cpu_seconds(serving), busy_cpu_seconds()
        generator_cpu = children_cpu_seconds()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "-u", str(USERS), "-r", "20", "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(build / stem), "--only-summary", "--stop-timeout", "10",
             # Figures from when the last person has arrived: while they arrive, 20 a second,
             # each opening a page at once, is a start-up burst, not the steady state.
             "--reset-stats"],
            env=env, cwd=ROOT, check=False,
        )  # fmt: skip
        cpu = {
            "wall": time.perf_counter() - started,
            "machine": busy_cpu_seconds() - machine_cpu,
            "generator": children_cpu_seconds() - generator_cpu,
            "gunicorn": cpu_seconds(serving) - workers_cpu,
        }
        workers = worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return report(
        build / f"{stem}_stats.csv", saves, workers, cpu, year=year, quarter=quarter, port=port
    )


def warm_up(port: int, people: list[str], *, year: int, quarter: int) -> None:
    """Every page of the mix, as each role, a few times from several connections at once,
    before the clock starts: a server that has been up a while has its code loaded and its
    templates compiled in every worker, and the first request of each in each worker (up to
    a second) would otherwise be measured as if it were the steady state."""
    from concurrent.futures import ThreadPoolExecutor

    seats = {}
    for person in people:
        role, session, codes = person.split(":")
        seats.setdefault(role, (session, codes.split()[0]))
    requests = []
    for role, (session, code) in seats.items():
        own = "/my/" if role == "staff" else "/review/"
        for url in ("/", "/projects/?direction=1", "/plan/", "/proposals/", own,
                    f"/projects/{code}/", report_url(code, year, quarter)):  # fmt: skip
            requests.append((url, session))

    def visit(request):
        url, session = request
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", url, headers={"Host": "127.0.0.1", "Cookie": f"sessionid={session}"})
        conn.getresponse().read()
        conn.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(visit, requests * 2 * WORKERS))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int) -> subprocess.Popen:
    """gunicorn serving this project from the database at `url` on loopback, as in
    production (DEBUG off, whitenoise), ready to take requests."""
    from benchmarks import ROOT

    env = {k: v for k, v in os.environ.items() if k != "DEBUG"} | {
        "DATABASE_URL": url,
        "DEBUG": "off",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SECURE_COOKIES": "off",  # plain HTTP on loopback only
        "PUBLIC_PAGE": "on",
        "DJANGO_SETTINGS_MODULE": "gwangyang_plan.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gwangyang_plan.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def worker_pids(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def cpu_seconds(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes have used so far, from /proc (a process
    gone meanwhile, say a worker gunicorn replaced, counts nothing)."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        # The fields after the command's closing parenthesis; utime and stime are 14 and 15.
        fields = stat.rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy so far (every core; /proc/stat), not
    counting the time its hypervisor gave other machines (steal)."""
    user, nice, system, _idle, _iowait, irq, softirq = (
        int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:8]
    )
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """CPU seconds of this process's finished children (the load generator, once it ends)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def worker_memory(master: int) -> list[tuple[float, float]]:
    """(VmRSS, VmHWM) in MB of each gunicorn worker, read from /proc while they still run."""
    from benchmarks import memory_mb

    return [memory_mb(pid) for pid in worker_pids(master)]


def report(
    stats: Path, saves: Path, workers, cpu: dict, *, year: int, quarter: int, port: int
) -> int:
    from projects.models import ProgressReport

    with stats.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print()
    wait = os.environ.get("LOAD_WAIT", "0.5,2").replace(",", "–")
    print(f"{USERS} people for {SECONDS} s, each waiting {wait} s between pages, against "
          f"gunicorn ({len(workers)} sync workers) on 127.0.0.1:{port}; saves go to "
          f"{year} Q{quarter}")  # fmt: skip
    print()
    print("| request | requests | failures | p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
              f"{row['50%']} | {row['95%']} |")  # fmt: skip
    total = next(r for r in rows if r["Name"] == "Aggregated")
    saved = [line.split("\t") for line in saves.read_text(encoding="utf-8").splitlines()]
    history = ProgressReport.history.model.objects.filter(achievements__startswith="load-")
    found = set(history.values_list("achievements", flat=True))
    lost = [mark for _code, mark in saved if mark not in found]
    print()
    print(f"saves acknowledged: {len(saved)}; in the database's history: {len(saved) - len(lost)}; "
          f"lost: {len(lost)}")  # fmt: skip
    holding = ProgressReport.objects.filter(
        year=year, quarter=quarter, achievements__startswith="load-"
    )
    print(f"reports holding a load-test save: {holding.count()}")
    print("worker resident memory at the end (VmRSS / peak VmHWM, MB): "
          + ", ".join(f"{rss:.0f} / {peak:.0f}" for rss, peak in workers))  # fmt: skip
    # Where the machine's cores went. The server's share (all but the load generator: gunicorn,
    # PostgreSQL, and whatever else ran meanwhile: at most) per request is what a machine of
    # its own would give each one (requests counted at the steady rate over the whole run).
    served = cpu["machine"] - cpu["generator"]
    requests = max(1.0, float(total["Requests/s"]) * cpu["wall"])
    print(f"CPU seconds in the {cpu['wall']:.0f} s of the run ({os.cpu_count()} cores: "
          f"{os.cpu_count() * cpu['wall']:.0f} available): busy {cpu['machine']:.0f}, of which "
          f"gunicorn {cpu['gunicorn']:.0f}, the load generator {cpu['generator']:.0f} and "
          f"PostgreSQL with the rest {served - cpu['gunicorn']:.0f}; server CPU per request "
          f"at most about {1000 * served / requests:.1f} ms")  # fmt: skip
    failures = int(total["Failure Count"])
    print(f"errors: {failures}; p50 {total['50%']} ms; p95 {total['95%']} ms (target ≤ 300 ms); "
          f"{float(total['Requests/s']):.1f} requests/s")  # fmt: skip
    return 1 if lost or failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
