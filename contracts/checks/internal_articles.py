import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.models.common import DeletedObject
from contracts.models.internal_articles import (
    InternalArticle,
    InternalArticleList,
    InternalArticleSearchResponse,
)


@check(writes=True)
def internal_articles_are_created_found_and_deleted(api: httpx.Client) -> None:
    admin_id = int(body(api.get("/me"))["id"])
    payload = {"title": "Contract SOP", "body": "Steps.", "author_id": admin_id, "owner_id": admin_id}
    article = parse(InternalArticle, api.post("/internal_articles", json=payload))
    try:
        assert article.owner_id == admin_id
        assert parse(InternalArticle, api.get(f"/internal_articles/{article.id}")).id == article.id
        updated = parse(
            InternalArticle, api.put(f"/internal_articles/{article.id}", json={"body": "More steps."})
        )
        assert updated.body == "More steps."
        assert parse(InternalArticleList, api.get("/internal_articles")).total_count >= 1
        parse(InternalArticleSearchResponse, api.get("/internal_articles/search"))
    finally:
        gone = parse(DeletedObject, api.delete(f"/internal_articles/{article.id}"))
    assert gone.object == "internal_article"
    expect_error(api.get(f"/internal_articles/{article.id}"), 404, "not_found")
