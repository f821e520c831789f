"""make load: 50 simulated officers on a mix of pages, downloads and imports.

Run by scripts/load.sh against gunicorn on localhost. The users are started
one a second; the figures (requests/s, percentiles) are those of the steady
state, 50 users for the whole duration (locust's --reset-stats when the last
has started), while every request of the run, the logins of the ramp-up
included, is also tallied here (WHOLE_RUN) and any failure among them fails
the run. Each simulated user logs
in once (so django-axes never sees a failed login) with a demo account of its
role and then, with a pause of 0.5-2 s between actions, browses what that
role uses. An export of a long list is followed as an officer would: on
"My exports", its job's row is polled until the file is ready (at most
EXPORT_WAIT seconds), then the file is downloaded. Every response must be 2xx
after redirects, and must not have been
sent to the sign-in or two-step page on the way (an ended session would
otherwise look like a success): anything else counts as a failure, and the
run fails when any request failed.
"""

from __future__ import annotations

import collections
import io
import json
import os
import random
import re
import time
from datetime import date
from urllib.parse import parse_qs, urlsplit

from locust import HttpUser, between, events, task
from openpyxl import Workbook
from stdnum.vn import mst

# The demo accounts' password (scripts/load.sh reads it from accounts.demo).
PASSWORD = os.environ["LOAD_PASSWORD"]
ENTERPRISE_LINK = re.compile(r'href="/enterprises/(\d+)/"')
PLAN_LINK = re.compile(r'href="/party-development/plans/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = ["may", "dien tu", "TNHH", "cổ phần", "0600", "Hòa Xá", "nhựa", "vina"]
# The status of an export job in its row on "My exports".
JOB_STATUS = re.compile(r'data-testid="export-row"[^>]*data-status="(\w+)"')
# Seconds a background export may take before it counts as failed.
EXPORT_WAIT = 60
# Seconds between two looks at a job, as "My exports" polls its rows (hx-trigger="every 2s").
POLL_SECONDS = 2


def _tax_code(n: int) -> str:
    sequence = 9_000_000 + n * 7
    while True:
        body = f"09{sequence:07d}"
        check = mst.calc_check_digit(body)
        if check != "10":
            return body + check
        sequence += 1


def _small_workbook(zone: str) -> bytes:
    """Ten new enterprises in the import template's columns."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
                  "Nguồn vốn", "Tổng số lao động", "Lao động nữ", "Ngày thành lập"])
    for n in range(10):
        sheet.append([f"Công ty TNHH Thử tải {n}", _tax_code(n), zone, "Công ty cổ phần",
                      "Ngoài nhà nước", 100 + n, 50, "01/03/2015"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Every request of the run by (method, name): its count and failures, ramp-up
# included (locust's own figures are reset once every user has started).
# Written at the end to the file named by LOAD_WHOLE_RUN.
WHOLE_RUN: dict[tuple[str, str], collections.Counter] = collections.defaultdict(
    collections.Counter)
WHOLE_RUN_ERRORS: collections.Counter = collections.Counter()


@events.request.add_listener
def _tally(request_type, name, exception=None, **_kwargs):
    counts = WHOLE_RUN[request_type, name]
    counts["requests"] += 1
    if exception is not None:
        counts["failures"] += 1
        WHOLE_RUN_ERRORS[f"{request_type} {name}: {str(exception)[:200]}"] += 1


@events.quitting.add_listener
def _write_tally(**_kwargs):
    path = os.environ.get("LOAD_WHOLE_RUN")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"requests": sum(c["requests"] for c in WHOLE_RUN.values()),
                       "failures": sum(c["failures"] for c in WHOLE_RUN.values()),
                       "errors": dict(WHOLE_RUN_ERRORS)}, out, ensure_ascii=False)


# Where an account lands when its session is not (or no longer) accepted.
SIGN_IN_PATHS = ("/accounts/login/", "/accounts/two-step/")


def judge(response) -> None:
    """Mark a response failed unless it is 2xx and was not sent to sign in."""
    path = urlsplit(response.url or "").path
    if not 200 <= response.status_code < 300:
        response.failure(f"HTTP {response.status_code}")
    elif path.startswith(SIGN_IN_PATHS):
        response.failure(f"sent to {path} (the session was not accepted)")
    else:
        response.success()


class Officer(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    username = ""
    import_zone = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text)
        response = self.client.post(
            "/accounts/login/", name="login",
            data={"username": self.username, "password": PASSWORD,
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/accounts/login/"})
        if "/accounts/login/" in response.url:
            raise RuntimeError(f"login of {self.username} failed")
        listing = self.get("/enterprises/", name="enterprise list")
        self.enterprises = [int(pk) for pk in ENTERPRISE_LINK.findall(listing.text)] or [0]
        self.workbook = _small_workbook(self.import_zone) if self.import_zone else b""

    def get(self, url: str, *, name: str, params=None):
        with self.client.get(url, params=params, name=name, catch_response=True) as response:
            judge(response)
        return response

    # --- what every role does ------------------------------------------------------------
    @task(4)
    def dashboard(self):
        self.get("/", name="dashboard")

    @task(5)
    def enterprise_list(self):
        self.get(f"/enterprises/?page={random.randint(1, 20)}", name="enterprise list")

    @task(3)
    def enterprise_search(self):
        self.get("/enterprises/", params={"q": random.choice(SEARCHES)},
                 name="enterprise search")

    @task(5)
    def enterprise_profile(self):
        pk = random.choice(self.enterprises)
        self.get(f"/enterprises/{pk}/", name="enterprise profile")

    @task(2)
    def pipeline(self):
        self.get("/party-development/", name="pipeline")

    @task(1)
    def plans(self):
        listing = self.get("/party-development/plans/", name="plan list")
        plans = PLAN_LINK.findall(listing.text)
        if plans:
            self.get(f"/party-development/plans/{random.choice(plans)}/",
                     name="plan detail")

    @task(1)
    def export(self):
        # As the list's export button does: a POST with the CSRF token, the
        # filters in the query string. A short list comes back as the .xlsx;
        # a long one becomes a job and the answer is "My exports" (after the
        # redirect), whose job is then followed to its file.
        job = None
        with self.client.post(
            "/enterprises/export/", params={"q": random.choice(SEARCHES)},
            name="enterprise export (xlsx or job)",
            data={"csrfmiddlewaretoken": self.csrf()},
            catch_response=True,
        ) as response:
            judge(response)
            url = urlsplit(response.url or "")
            if not response.ok or response.content.startswith(b"PK"):
                pass
            elif url.path == "/exports/" and parse_qs(url.query).get("job"):
                job = parse_qs(url.query)["job"][0]
            else:
                response.failure("neither an .xlsx file nor a job on My exports")
        if job is not None:
            self.follow_export(job)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def follow_export(self, job: str) -> None:
        """Poll the job's row (a light request, counted like any other) until
        it is ready, then download the file; not ready within
        EXPORT_WAIT seconds, or failed, counts as a failure."""
        started = time.monotonic()
        while True:
            with self.client.get(f"/exports/{job}/", name="export job status",
                                 headers={"HX-Request": "true"},
                                 catch_response=True) as response:
                judge(response)
                found = JOB_STATUS.search(response.text) if response.ok else None
                status = found.group(1) if found else None
                if response.ok and status not in ("queued", "running", "done"):
                    response.failure(f"the export job ended {status or 'without a status'}")
            if status == "done":
                break
            if status not in ("queued", "running"):
                return
            if time.monotonic() - started > EXPORT_WAIT:
                self.environment.events.request.fire(
                    request_type="GET", name="export job status", response_time=0,
                    response_length=0, response=None, context={},
                    exception=TimeoutError(f"the export was not ready within {EXPORT_WAIT} s"))
                return
            time.sleep(POLL_SECONDS)
        with self.client.post(f"/exports/{job}/download/", name="export job download (xlsx)",
                              data={"csrfmiddlewaretoken": self.csrf()},
                              catch_response=True) as response:
            judge(response)
            if response.ok and not response.content.startswith(b"PK"):
                response.failure("the export's file is not an .xlsx file")

    def import_preview(self):
        with self.client.post(
            "/imports/enterprises/", name="import upload + preview (10 rows)",
            data={"as_of": date.today().strftime("%d/%m/%Y"),
                  "csrfmiddlewaretoken": self.csrf()},
            files={"file": ("doanh-nghiep.xlsx", self.workbook,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/imports/run/" not in response.url:
                response.failure(f"no preview after the upload: {response.status_code} "
                                 f"{response.url}")


class PartyCommitteeOfficer(Officer):
    weight = 10
    username = "canbo.dang"
    import_zone = "HX"

    @task(3)
    def member_list(self):
        self.get(f"/party-development/members/?page={random.randint(1, 50)}",
                        name="member list")

    @task(1)
    def imports(self):
        self.import_preview()


class PartyCommitteeLeader(Officer):
    weight = 3
    username = "lanhdao.dang"

    @task(2)
    def member_list(self):
        self.get("/party-development/members/", name="member list")


class IzBoardOfficer(Officer):
    weight = 5
    username = "canbo.bql"
    import_zone = "HX"

    @task(1)
    def imports(self):
        self.import_preview()


class IzBoardLeader(Officer):
    weight = 2
    username = "lanhdao.bql"
