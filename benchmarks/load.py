"""make load: gunicorn + PostgreSQL on loopback, 50 simulated users for 60 s (locust, headless),
then a check that every save the users were told succeeded is in the database.

The 50 people are signed in before the clock starts (a session each, as after the sign-in
form): signing in checks a password with 1,000,000 PBKDF2 rounds on purpose, about half a
second of CPU, and 50 of them at once would be a measurement of that alone.
"""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from benchmarks import ROOT, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from benchmarks.throughput import free_port, start_gunicorn  # noqa: E402
from projects.models import Department, ProgressReport, Project, User  # noqa: E402

USERS, SECONDS = 50, 60


def main() -> int:
    if connection.vendor != "postgresql":
        print("make load needs PostgreSQL (DATABASE_URL=postgres://…)")
        return 2
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = "load_gwangyang_plan"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    call_command("load_plan_fixture", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    staff = []  # (user, codes of the projects their department files for)
    for department in Department.objects.order_by("code"):
        codes = Project.objects.filter(
            lead_department=department, start_year__lte=2026, end_year__gte=2026
        ).values_list("code", flat=True)
        if codes:
            staff.append((User.objects.get(username=f"staff-{department.code}"), " ".join(codes)))
    people = []  # "session key:codes", one signed-in session per simulated person
    for n in range(USERS):
        user, codes = staff[n % len(staff)]
        client = Client()
        client.force_login(user, backend="projects.backends.RolesBackend")
        people.append(f"{client.session.session_key}:{codes}")
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    saves = build / "load-saves.tsv"
    saves.write_text("", encoding="utf-8")
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"
    port = free_port()
    server = start_gunicorn(url, port, extra={"SECURE_COOKIES": "off"})
    try:
        env = os.environ | {"LOAD_PEOPLE": ",".join(people), "LOAD_SAVES": str(saves)}
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "-u", str(USERS), "-r", "10", "-t", f"{SECONDS}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(build / "load"),
             "--only-summary", "--stop-timeout", "10"],
            env=env, check=False,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
    return report(build, saves)


def report(build: Path, saves: Path) -> int:
    with (build / "load_stats.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
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
    holding = ProgressReport.objects.filter(year=2026, quarter=4, achievements__startswith="load-")
    print(f"reports holding a load-test save: {holding.count()}")
    failures = int(total["Failure Count"])
    print(f"errors: {failures}; p50 {total['50%']} ms; p95 {total['95%']} ms")
    return 1 if lost or failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
