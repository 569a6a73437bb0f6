"""Content snippets (2.16 only): CRUD, tags, errors."""

import httpx

from tests.fake.test_help_center import V216, error_of

BLOCKS = [{"type": "paragraph", "text": "Navigate to Settings > Security > Reset password."}]


def new_snippet(api: httpx.Client, title: str = "How to reset your password", **extra) -> dict:
    response = api.post(
        "/content_snippets", json={"title": title, "json_blocks": BLOCKS, **extra}, headers=V216
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_only_in_2_16(api: httpx.Client) -> None:
    assert error_of(api.get("/content_snippets"), 400)["code"] == "intercom_version_invalid"
    assert (
        error_of(api.post("/content_snippets", json={"title": "x"}), 400)["code"]
        == "intercom_version_invalid"
    )


def test_crud(api: httpx.Client) -> None:
    snippet = new_snippet(api, ai_chatbot_availability=True)
    assert (
        snippet["type"] == "content_snippet"
        and snippet["locale"] == "en"
        and snippet["json_blocks"] == BLOCKS
    )
    assert snippet["body_markdown"] == (
        "# How to reset your password\n\nNavigate to Settings > Security > Reset password.\n"
    )
    assert snippet["chatbot_availability"] == 1 and snippet["copilot_availability"] == 0
    assert api.get(f"/content_snippets/{snippet['id']}", headers=V216).json() == snippet
    updated = api.put(
        f"/content_snippets/{snippet['id']}",
        json={"title": "Reset (updated)", "body_markdown": "First.\n\nSecond."},
        headers=V216,
    ).json()
    assert updated["json_blocks"] == [
        {"type": "paragraph", "text": "First."},
        {"type": "paragraph", "text": "Second."},
    ]
    assert updated["body_markdown"] == "# Reset (updated)\n\nFirst.\n\nSecond.\n"
    listed = api.get("/content_snippets", headers=V216).json()
    assert listed["data"] == [updated] and listed["total_count"] == 1
    assert listed["page"] == 1 and listed["per_page"] == 50 and listed["total_pages"] == 1
    gone = api.delete(f"/content_snippets/{snippet['id']}", headers=V216)
    assert gone.status_code == 204 and gone.content == b""
    assert error_of(api.get(f"/content_snippets/{snippet['id']}", headers=V216), 404) == {
        "code": "not_found",
        "message": "Content snippet not found",
    }


def test_errors(api: httpx.Client) -> None:
    no_title = api.post("/content_snippets", json={"json_blocks": BLOCKS}, headers=V216)
    assert error_of(no_title, 400)["code"] == "parameter_not_found"
    bad_locale = api.post("/content_snippets", json={"title": "x", "locale": "xx"}, headers=V216)
    assert error_of(bad_locale, 422)["code"] == "validation_error"
    unknown_audience = api.post("/content_snippets", json={"title": "x", "audience_ids": [999]}, headers=V216)
    assert error_of(unknown_audience, 404)["message"] == "audience_ids contains unknown audience IDs: 999"
    assert api.get("/content_snippets", headers=V216).json()["total_count"] == 0


def test_tags(api: httpx.Client) -> None:
    snippet = new_snippet(api)
    tag = api.post("/tags", json={"name": "FAQ"}).json()
    applied = api.post(f"/content_snippets/{snippet['id']}/tags", json={"id": tag["id"]}, headers=V216).json()
    assert applied["id"] == tag["id"] and applied["applied_at"] is not None
    removed = api.delete(f"/content_snippets/{snippet['id']}/tags/{tag['id']}", headers=V216).json()
    assert removed["applied_by"] is None
    missing = api.post("/content_snippets/1/tags", json={"id": tag["id"]}, headers=V216)
    assert error_of(missing, 404)["code"] == "content_snippet_not_found"
