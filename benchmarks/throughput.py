"""Requests per second under gunicorn on loopback: the dashboard beside a trivial view."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

from benchmarks import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(port: int, path: str, cookie: str, seconds: float, concurrency: int) -> tuple[int, int]:
    """Keep-alive GETs from `concurrency` threads for `seconds`; returns (ok, errors)."""
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ok = errors = 0
        while time.monotonic() < deadline:
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["ok"], counts["errors"]


def start_gunicorn(database_url: str, port: int, *, extra: dict | None = None):
    """gunicorn serving this project from `database_url` on loopback, ready to take requests."""
    workers = 2 * (os.cpu_count() or 1) + 1
    env = (
        {k: v for k, v in os.environ.items() if k != "DEBUG"}
        | {
            "DATABASE_URL": database_url,
            "DEBUG": "off",
            "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "off",
            "DJANGO_SETTINGS_MODULE": "gwangyang_plan.settings",
        }
        | (extra or {})
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gwangyang_plan.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
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


def measure(database_url: str, session_key: str, *, seconds=5, rounds=3, concurrency=8):
    """Start gunicorn against `database_url`, then load a trivial view and the dashboard in
    turn, `rounds` times each: this VM's speed drifts, so each view's figure is the median of
    its rounds and the two are measured in the same stretches of time."""
    port = free_port()
    workers = 2 * (os.cpu_count() or 1) + 1
    server = start_gunicorn(database_url, port)
    try:
        cookie = f"sessionid={session_key}"
        views = (("trivial view (/healthz)", "/healthz"), ("dashboard (/)", "/"))
        rates = {name: [] for name, _path in views}
        errors = dict.fromkeys(rates, 0)
        for _path in ("/healthz", "/"):
            _load(port, _path, cookie, 2, concurrency)  # warm-up
        for _round in range(rounds):
            for name, path in views:
                ok, failed = _load(port, path, cookie, seconds, concurrency)
                rates[name].append(ok / seconds)
                errors[name] += failed
        return workers, {name: (statistics.median(rates[name]), errors[name]) for name in rates}
    finally:
        server.terminate()
        server.wait(timeout=20)
