"""make load: 50 people browsing dashboards and lists and saving drafts (run by benchmarks.load)."""

import itertools
import os
import random
import re
import uuid

from locust import HttpUser, between, task

PEOPLE = os.environ["LOAD_PEOPLE"].split(",")  # "session key:code code code", one per person
SAVES = os.environ["LOAD_SAVES"]  # file the successful saves are appended to
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'<input type="hidden" name="version"(?: value="(\d*)")?')
SEATS = itertools.count()  # each simulated person takes the next signed-in session
MONEY = {f"spent_{s}": "0" for s in ("national", "provincial", "city", "private", "other")}


class Person(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        session, codes = PEOPLE[next(SEATS) % len(PEOPLE)].split(":")
        self.projects = codes.split()
        self.client.cookies.set("sessionid", session)

    @task(4)
    def dashboard(self):
        self.client.get("/", name="/ (dashboard)")

    @task(2)
    def project_list(self):
        self.client.get(f"/projects/?direction={random.randint(1, 4)}", name="/projects/?direction")

    @task(1)
    def plan(self):
        self.client.get("/plan/", name="/plan/")

    @task(2)
    def save_draft(self):
        code = random.choice(self.projects)
        url = f"/projects/{code}/reports/2026/4/"
        page = self.client.get(url, name="report page")
        version, token = VERSION.search(page.text), CSRF.search(page.text)
        if version is None or token is None:
            return  # submitted or locked meanwhile: nothing to save
        mark = f"load-{uuid.uuid4().hex}"
        data = {"progress": str(random.randint(1, 99)), "status": "on_track",
                "achievements": mark, "version": version[1] or "", "csrfmiddlewaretoken": token[1],
                **MONEY}  # fmt: skip
        with self.client.post(f"{url}save/", data, name="save draft", allow_redirects=False,
                              catch_response=True) as response:  # fmt: skip
            if response.status_code == 302:
                with open(SAVES, "a", encoding="utf-8") as saves:
                    saves.write(f"{code}\t{mark}\n")
                response.success()
            elif response.status_code == 409:
                response.success()  # another person saved first: refused, by design
            else:
                response.failure(f"status {response.status_code}")
