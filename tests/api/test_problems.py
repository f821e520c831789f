"""Every refusal of the API speaks one language: the problem's title and its
detail are both Vietnamese by default (the framework's own messages included),
both English when the client asks for English; a path naming no endpoint is a
problem-details 404 too, not the site's HTML page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    return response.json()


@pytest.mark.parametrize("language, title, detail", [
    ("vi", "Cần xác thực.",
     "Chưa gửi thông tin xác thực: gửi tiêu đề Authorization: Bearer <mã truy cập>."),
    ("en", "Authentication is needed.", "Authentication credentials were not provided."),
])
def test_no_credentials(api, language, title, detail):
    body = _problem(api.get("/api/v1/enterprises/", HTTP_ACCEPT_LANGUAGE=language), 401)
    assert (body["title"], body["detail"]) == (title, detail)


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_a_path_naming_no_endpoint_is_a_problem_404(api, iz_officer, method):
    for client in (api, api.as_(iz_officer)):
        response = getattr(client, method)("/api/v1/no-such-thing/42/")
        body = _problem(response, 404)
        assert body["detail"] == "Không có điểm truy cập này: xem /api/v1/docs/."
        assert body["instance"] == "/api/v1/no-such-thing/42/"


def test_a_method_not_allowed_is_said_in_vietnamese(api, iz_officer):
    response = api.as_(iz_officer).delete("/api/v1/enterprises/")
    body = _problem(response, 405)
    assert body["detail"] == 'Không cho phép phương thức "DELETE".'
    assert "GET" in response["Allow"]


def test_a_body_that_is_not_json_is_said_in_vietnamese(api, iz_officer):
    response = api.as_(iz_officer).post("/api/v1/enterprises/sync/", data="{not json",
                                        content_type="application/json")
    body = _problem(response, 400)
    # "{not json": the first property name is expected at line 1, column 2.
    assert body["detail"] == "Nội dung yêu cầu không phải JSON hợp lệ (dòng 1, cột 2)."
