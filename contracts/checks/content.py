import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.content import ContentSearchResponse

V216 = {"Intercom-Version": "2.16"}


@check()
def content_is_searched(api: httpx.Client) -> None:
    found = parse(ContentSearchResponse, api.get("/content/search", params={"per_page": 5}, headers=V216))
    assert len(found.data) <= 5 and found.pages.per_page == 5
    expect_error(api.get("/content/search"), 400, "intercom_version_invalid")


@check(writes=True)
def bulk_actions_are_validated(api: httpx.Client) -> None:
    expect_error(
        api.post("/content/bulk_actions", json={"action": "explode", "content_ids": []}, headers=V216), 422
    )
