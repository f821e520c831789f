"""The same import confirmed twice at the same moment, on real PostgreSQL.

Two browsers of the same officer post "confirm" from two threads (each with
its own database connection). The first run holds the import's row lock while
it writes (held open until the other is seen waiting on a lock, so the overlap is
certain); the other waits, then sees the import applied. No row is written
twice and the second browser is told why nothing happened.
"""

import io
import re
import threading
import time

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import ImportRun
from enterprises.models import Enterprise, WorkforceRecord
from tests.enterprises.factories import valid_tax_code

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
          "Nguồn vốn", "Tổng số lao động"]
ROWS = [[f"Công ty Đồng thời {n}", valid_tax_code(900 + n), "AAA", "Khác", "FDI", 10 * n]
        for n in range(1, 6)]


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def workbook() -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in [HEADER, *ROWS]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("dong-thoi.xlsx", buffer.getvalue())


def another_backend_waits_for_a_lock(timeout: float = 10) -> bool:
    """Whether, within ``timeout``, another connection of this database waits on a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


class Hold:
    """The first confirmation to write an enterprise row keeps its transaction open
    until another confirmation is blocked by it (on the import's row lock, or on
    the unique tax codes just written), so the two really overlap however the
    threads are scheduled and however the importer batches its writes.

    Installed as a database execute wrapper in each posting thread.
    """

    def __init__(self, table: str = "enterprises_enterprise"):
        self.marker = f'INSERT INTO "{table}"'
        self.observed: list[bool] = []
        # When the holding thread saw the other wait, and let its transaction go on.
        self.released_at: float | None = None
        # Each query's (thread, start, end).
        self.queries: list[tuple[int, float, float]] = []
        self._guard = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        started = time.monotonic()
        result = execute(sql, params, many, context)
        self.queries.append((threading.get_ident(), started, time.monotonic()))
        if sql.startswith(self.marker):
            with self._guard:
                first = not self.observed
                if first:
                    self.observed.append(False)
            if first:
                self.observed[0] = another_backend_waits_for_a_lock()
                self.released_at = time.monotonic()
        return result

    def waited(self, thread: int) -> bool:
        """Whether a query of ``thread`` was running while the holder held on
        and ended after it let go: blocked by the holder's open transaction."""
        return any(who == thread and start < self.released_at < end
                   for who, start, end in self.queries)


def upload(client) -> ImportRun:
    response = client.post(reverse("core:import_upload", args=["enterprises"]),
                           {"file": workbook(), "as_of": "30/06/2026"})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("pk")
    assert client.get(response["Location"]).status_code == 200  # the preview
    return run


def post_together(posts, hold: Hold):
    """Run the ``(client, url)`` posts in threads released at the same instant."""
    barrier = threading.Barrier(len(posts))
    outcomes = [None] * len(posts)

    def worker(index, client, url):
        try:
            barrier.wait(timeout=10)
            started = time.monotonic()
            with connection.execute_wrapper(hold):
                response = client.post(url)
            outcomes[index] = {
                "thread": threading.get_ident(),
                "response": response,
                "started": started,
                "finished": time.monotonic(),
                "messages": [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)],
            }
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            outcomes[index] = {"error": exc}
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c, u)) for i, (c, u) in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a confirmation never finished"
    for outcome in outcomes:
        assert "error" not in outcome, outcome.get("error")
    return outcomes


def browsers(user, count=2):
    result = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        result.append(client)
    return result


def test_double_confirm_of_one_import_writes_once(pc_officer, zone_a):
    first, second = browsers(pc_officer)
    run = upload(first)
    url = reverse("core:import_confirm", args=[run.pk])
    hold = Hold()

    outcomes = post_together([(first, url), (second, url)], hold)

    assert [o["response"].status_code for o in outcomes] == [302, 302]
    levels = sorted(o["messages"][0][0] for o in outcomes if o["messages"])
    assert levels == ["info", "success"], outcomes
    winner = next(o for o in outcomes if o["messages"][0][0] == "success")
    loser = next(o for o in outcomes if o["messages"][0][0] == "info")
    assert loser["messages"] == [("info", vi("This file has already been processed."))]
    # They really overlapped: the loser waited on the import's row lock while the
    # winner's transaction was open (a query of its began before the winner let
    # go and ended after).
    assert hold.observed == [True]
    assert hold.waited(loser["thread"]) and not hold.waited(winner["thread"])

    assert Enterprise.objects.count() == len(ROWS)
    assert WorkforceRecord.objects.count() == len(ROWS)
    run.refresh_from_db()
    assert (run.status, run.created_count, run.error_count) == ("applied", len(ROWS), 0)
    # The loser's browser shows the message in Vietnamese on the page it lands on.
    page = (second if loser is outcomes[1] else first).get(loser["response"]["Location"])
    assert vi("This file has already been processed.") in page.content.decode()


def test_two_uploads_of_the_same_file_confirmed_together_write_once(pc_officer, zone_a):
    """Two separate imports of one file: the unique tax codes decide; no row twice.

    The second either finds the rows written by the first (all unchanged) or is
    refused as a whole with its rows' errors; either way it says so.
    """
    first, second = browsers(pc_officer)
    runs = [upload(first), upload(second)]
    hold = Hold()

    outcomes = post_together([
        (first, reverse("core:import_confirm", args=[runs[0].pk])),
        (second, reverse("core:import_confirm", args=[runs[1].pk])),
    ], hold)

    assert hold.observed == [True]  # one waited on the other's new tax codes
    assert Enterprise.objects.count() == len(ROWS)
    assert WorkforceRecord.objects.count() == len(ROWS)
    for run in runs:
        run.refresh_from_db()
    assert sorted(run.created_count for run in runs) == [0, len(ROWS)]
    with translation.override("vi"):
        refused = translation.gettext(
            "Nothing was written: the data changed since the preview and some rows are now "
            "refused. Check them below.")
        row_error = translation.gettext("Row %(row)s: %(message)s").split("%")[0]
    for run, outcome in zip(runs, outcomes, strict=True):
        if run.status == "applied":
            assert outcome["response"].status_code == 302
            assert outcome["messages"][0][0] == "success"
            assert run.created_count + run.updated_count + run.unchanged_count == len(ROWS)
        else:
            assert run.status == "previewed"
            assert outcome["messages"] == [("error", refused)]
            page = outcome["response"].content.decode()
            assert row_error in page
            assert not re.search(r"[A-Z]\w+Error\b", page)  # no exception class names
