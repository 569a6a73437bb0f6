import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.content_snippets import ContentSnippet, ContentSnippetList

V216 = {"Intercom-Version": "2.16"}


@check(writes=True)
def content_snippets_are_created_updated_and_deleted(api: httpx.Client) -> None:
    blocks = [{"type": "paragraph", "text": "Contract snippet."}]
    snippet = parse(
        ContentSnippet,
        api.post("/content_snippets", json={"title": "Contract", "json_blocks": blocks}, headers=V216),
        201,
    )
    try:
        assert (
            parse(ContentSnippet, api.get(f"/content_snippets/{snippet.id}", headers=V216)).title
            == "Contract"
        )
        updated = parse(
            ContentSnippet,
            api.put(f"/content_snippets/{snippet.id}", json={"title": "Contract 2"}, headers=V216),
        )
        assert updated.title == "Contract 2"
        parse(ContentSnippetList, api.get("/content_snippets", headers=V216))
    finally:
        assert api.delete(f"/content_snippets/{snippet.id}", headers=V216).status_code == 204
    expect_error(api.get(f"/content_snippets/{snippet.id}", headers=V216), 404, "not_found")
    expect_error(api.get("/content_snippets"), 400, "intercom_version_invalid")
