"""make load's simulated people (run by benchmarks.load, which signs them in beforehand)."""

import itertools
import os
import random
import re
import uuid

from locust import FastHttpUser, between, task
from requests.cookies import create_cookie

from benchmarks.load import report_url, save_url

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'<input type="hidden" name="version"(?: value="(\d*)")?')
MONEY = {f"spent_{s}": "0" for s in ("national", "provincial", "city", "private", "other")}
SEATS = itertools.count()  # each simulated person takes the next signed-in session


class Person(FastHttpUser):
    """A signed-in person: LOAD_PEOPLE holds "role:session key:project codes" per person.
    FastHttpUser: the load generator shares the server's two cores, so it should take as
    little of them as it can."""

    # Seconds between one page and the next: 0.5–2 by default, a person clicking without
    # reading (the stress the target is set for); LOAD_WAIT="5,15" is a person reading each page.
    wait_time = between(*(float(s) for s in os.environ.get("LOAD_WAIT", "0.5,2").split(",")))

    def on_start(self):
        people = os.environ["LOAD_PEOPLE"].split(",")
        self.role, session, codes = people[next(SEATS) % len(people)].split(":")
        self.projects = codes.split()
        self.period = tuple(int(n) for n in os.environ["LOAD_PERIOD"].split("-"))
        self.client.cookiejar.set_cookie(create_cookie("sessionid", session, domain="127.0.0.1"))

    @task(4)
    def dashboard(self):
        self.client.get("/", name="/ (dashboard)")

    @task(2)
    def project_list(self):
        self.client.get(f"/projects/?direction={random.randint(1, 4)}", name="/projects/?direction")

    @task(1)
    def plan(self):
        self.client.get("/plan/", name="/plan/")

    @task(1)
    def proposals(self):
        self.client.get("/proposals/", name="/proposals/")

    @task(2)
    def own_work(self):
        if self.role == "staff":
            self.client.get("/my/", name="/my/ (staff)")
        else:
            self.client.get("/review/", name="/review/ (committee, coordinator)")

    @task(2)
    def project_page(self):
        code = random.choice(self.projects)
        self.client.get(f"/projects/{code}/", name="project page")

    @task(4)
    def save_draft(self):
        if self.role != "staff":
            self.client.get(report_url(random.choice(self.projects), *self.period),
                            name="report page")  # fmt: skip
            return
        code = random.choice(self.projects)
        url = report_url(code, *self.period)
        page = self.client.get(url, name="report page")
        version, token = VERSION.search(page.text), CSRF.search(page.text)
        # Only a page with the save form is editable (a submitted one carries a version too,
        # in its 회수 form).
        if f'action="{save_url(url)}"' not in page.text or version is None or token is None:
            return  # submitted or locked meanwhile: nothing to save
        mark = f"load-{uuid.uuid4().hex}"
        data = {"progress": str(random.randint(1, 99)), "status": "on_track",
                "achievements": mark, "version": version[1] or "", "csrfmiddlewaretoken": token[1],
                **MONEY}  # fmt: skip
        with self.client.post(save_url(url), data, name="save draft", allow_redirects=False,
                              catch_response=True) as response:  # fmt: skip
            if response.status_code == 302:
                with open(os.environ["LOAD_SAVES"], "a", encoding="utf-8") as saves:
                    saves.write(f"{code}\t{mark}\n")
                response.success()
            elif response.status_code == 409:
                response.success()  # another person saved first: refused, by design
            else:
                response.failure(f"status {response.status_code}")
