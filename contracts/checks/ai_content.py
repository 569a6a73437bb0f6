import uuid

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.ai_content import (
    ContentImportSource,
    ContentImportSourceList,
    ExternalPage,
    ExternalPageList,
)


@check(writes=True)
def external_pages_are_upserted_by_external_id(api: httpx.Client) -> None:
    source = parse(
        ContentImportSource,
        api.post(
            "/ai/content_import_sources", json={"sync_behavior": "api", "url": "https://contract.example.com"}
        ),
    )
    try:
        assert parse(ContentImportSource, api.get(f"/ai/content_import_sources/{source.id}")).id == source.id
        assert source.id in {
            s.id for s in parse(ContentImportSourceList, api.get("/ai/content_import_sources")).data
        }
        external_id = uuid.uuid4().hex[:12]
        page = {
            "title": "Contract",
            "html": "<p>One</p>",
            "locale": "en",
            "source_id": source.id,
            "external_id": external_id,
        }
        first = parse(ExternalPage, api.post("/ai/external_pages", json=page))
        second = parse(ExternalPage, api.post("/ai/external_pages", json={**page, "html": "<p>Two</p>"}))
        assert second.id == first.id and second.html == "<p>Two</p>"
        assert parse(ExternalPage, api.get(f"/ai/external_pages/{first.id}")).html == "<p>Two</p>"
        parse(ExternalPageList, api.get("/ai/external_pages"))
    finally:
        assert api.delete(f"/ai/content_import_sources/{source.id}").status_code == 204
    expect_error(api.get(f"/ai/content_import_sources/{source.id}"), 404, "not_found")
