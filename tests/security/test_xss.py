"""Stored and reflected XSS, and formula injection in exports.

Every text field of a zone, an enterprise (with its workforce record and mass
organization), a party organization, a member, a candidate, an import and a
notification holds ``<script>alert(1)</script>"'><img src=x onerror=alert(1)>``
(a second set holds a spreadsheet formula). Then every page of the apps, read
from the URL resolver so that new pages are covered too, is opened as a Party
Committee officer: the attack must only ever appear escaped.
"""

import io
import re
import zipfile
from urllib.parse import urlencode

import openpyxl
import pytest
from django.urls import reverse

from .conftest import FORMULA, XSS, XSS_MARKERS
from .routes import all_routes, kwargs_options

pytestmark = pytest.mark.django_db

ALLOWED = {200, 302, 403, 405}
# A report that failed has no file to download.
EXPECTED = {"reports:report_download": {404}}
# A form posted with the attack in its hidden fields may name no object (404) or be
# refused as a whole (400).
ALLOWED_AFTER_POST = ALLOWED | {400, 404}
ESCAPED = "&lt;script&gt;alert(1)"
HOSTILE_QUERY = urlencode({"q": XSS, "page": XSS, "sort": XSS, "next": XSS, "zone": XSS,
                           "status": XSS, "show": XSS})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def leaked(text: str) -> list[str]:
    return [marker for marker in XSS_MARKERS if marker in text]


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def page_urls(client, world):
    """(route, url) for every page whose kwargs can be filled; the others are printed."""
    urls, skipped = [], []
    for route in all_routes():
        options = kwargs_options(route, world)
        if not options:
            skipped.append(str(route))
            continue
        candidates = [reverse(route.name, kwargs=kwargs) for kwargs in options]
        chosen = candidates[0]
        if len(candidates) > 1:  # a pk whose model is a guess: keep one that exists
            chosen = next((url for url in candidates if client.get(url).status_code != 404),
                          chosen)
        urls.append((route, chosen))
    if skipped:
        print("Not opened (no object to fill the URL):", ", ".join(skipped))
    if world.not_built:
        print("Objects not built:", "; ".join(world.not_built))
    return urls


def test_no_page_shows_stored_or_reflected_script(client, pc_officer, xss_world, formula_world):
    client.raise_request_exception = False  # a server error is reported with the others
    client.force_login(pc_officer)
    problems, opened = [], 0
    for route, url in page_urls(client, xss_world):
        for target, headers in ((url, {}), (f"{url}?{HOSTILE_QUERY}", {}),
                                (url, {"HTTP_HX_REQUEST": "true"})):
            response = client.get(target, **headers)
            opened += 1
            if response.status_code not in ALLOWED | EXPECTED.get(route.name, set()):
                problems.append(f"{target[:80]}: HTTP {response.status_code}")
                continue
            body = body_of(response)
            if is_html(response) and leaked(body):
                problems.append(f"{target[:80]}: unescaped {leaked(body)}")
            if response.status_code == 302 and leaked(response["Location"]):
                problems.append(f"{target[:80]}: redirect to {response['Location'][:80]}")
            if not is_html(response) and response.status_code == 200:
                kind = response["Content-Type"]
                if not kind.startswith(("application/json", XLSX)):
                    problems.append(f"{target[:80]}: unexpected content type {kind}")
    assert opened > 40
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("url_name", "owner", "fields"), [
    ("enterprises:enterprise_detail", "enterprise", ["name", "address", "representative"]),
    ("enterprises:partyorg_detail", "partyorg", ["name", "decision_number"]),
    ("coordination:member_detail", "member", ["given_name", "party_card_number"]),
    ("coordination:candidate_detail", "candidate", ["given_name", "certificate_number"]),
    ("core:import_preview", "import_run", []),
])
def test_the_detail_pages_do_show_the_text_escaped(client, pc_officer, xss_world, url_name,
                                                    owner, fields):
    """The check above is not vacuous: the hostile text is on the pages, escaped."""
    for name in fields:
        assert name in xss_world.filled[owner], (owner, name)
    client.force_login(pc_officer)
    response = client.get(reverse(url_name, args=[getattr(xss_world, owner).pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert ESCAPED in body
    assert not leaked(body)


def test_the_lists_show_the_text_escaped(client, pc_officer, xss_world):
    client.force_login(pc_officer)
    for name in ("enterprises:enterprise_list", "enterprises:zone_list",
                 "enterprises:partyorg_list", "coordination:member_list",
                 "coordination:candidate_list", "core:notification_list"):
        body = client.get(reverse(name)).content.decode()
        assert ESCAPED in body, name
        assert not leaked(body), name


def test_the_notification_link_does_not_follow_a_javascript_url(client, pc_officer, xss_world):
    client.force_login(pc_officer)
    response = client.post(reverse("core:notification_open", args=[xss_world.notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:notification_list")


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)


def post_forms(html: str, page_url: str):
    """(action, field names) of the POST forms of a page that stay within the apps."""
    from django.urls import Resolver404, resolve

    for attrs_text, inner in _FORM.findall(html):
        attrs = dict(_ATTR.findall(attrs_text))
        if attrs.get("method", "get").lower() != "post":
            continue
        action = attrs.get("action") or page_url
        action = action.replace("&amp;", "&")
        try:
            match = resolve(action.split("?")[0])
        except Resolver404:
            continue
        if match.namespace not in ("enterprises", "coordination", "surveys", "reports", "core"):
            continue  # signing out, the language switch
        names = []
        for _tag, field_attrs in _FIELD.findall(inner):
            field = dict(_ATTR.findall(field_attrs))
            if field.get("name") and field["name"] != "csrfmiddlewaretoken" \
                    and field.get("type") not in ("submit", "button", "file"):
                names.append(field["name"])
        yield action, names


def test_forms_echo_hostile_input_escaped(client, pc_officer, xss_world):
    """Every POST form of every page, submitted with the attack in every field."""
    client.raise_request_exception = False
    client.force_login(pc_officer)
    problems, submitted = [], 0
    seen = set()
    for _route, url in page_urls(client, xss_world):
        response = client.get(url)
        if response.status_code != 200 or not is_html(response):
            continue
        for action, names in post_forms(response.content.decode(), url):
            key = (action.split("?")[0], tuple(sorted(names)))
            if key in seen:
                continue
            seen.add(key)
            response = client.post(action, {name: XSS for name in names}, follow=True)
            submitted += 1
            if response.status_code not in ALLOWED_AFTER_POST:
                problems.append(f"POST {action}: HTTP {response.status_code}")
            elif is_html(response) and leaked(body_of(response)):
                problems.append(f"POST {action}: unescaped {leaked(body_of(response))}")
    assert submitted >= 10
    assert not problems, "\n".join(problems)


def export_urls():
    return [route for route in all_routes() if route.short_name.endswith("_export")]


def test_exports_are_found():
    names = {str(route) for route in export_urls()}
    assert {"enterprises:enterprise_export", "coordination:member_export",
            "coordination:candidate_export"} <= names


@pytest.mark.parametrize("route", export_urls(), ids=str)
def test_exports_write_hostile_text_as_text_never_as_formula(client, pc_officer, xss_world,
                                                             formula_world, route):
    client.force_login(pc_officer)
    response = client.post(reverse(route.name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XLSX)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")
                  and name.endswith(".xml")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell)
    formulas = [cell for cell in texts if cell.value.startswith("=")]
    assert any(XSS[:16] in cell.value for cell in texts), "the hostile text was not exported"
    assert formulas, "the formula-like text was not exported"
    for cell in formulas:
        assert cell.data_type == "s"
        assert cell.quotePrefix, cell.coordinate
    assert any(cell.value == FORMULA for cell in formulas)
