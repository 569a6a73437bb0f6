from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.models.articles import Article, ArticleList, ArticleSearchResponse, ArticleVersionList
from contracts.models.common import DeletedObject

V216 = {"Intercom-Version": "2.16"}


def an_admin_id(api: httpx.Client) -> int:
    return int(body(api.get("/me"))["id"])


@contextmanager
def an_article(api: httpx.Client, **fields: object) -> Iterator[Article]:
    """A throwaway draft article, deleted afterwards."""
    payload = {"title": "Contract article", "body": "Contract body.", "author_id": an_admin_id(api), **fields}
    article = parse(Article, api.post("/articles", json=payload))
    try:
        yield article
    finally:
        api.delete(f"/articles/{article.id}")


@check(writes=True)
def articles_are_created_found_updated_and_deleted(api: httpx.Client) -> None:
    with an_article(api) as article:
        assert article.state == "draft" and article.parent_type in (None, "collection")
        assert parse(Article, api.get(f"/articles/{article.id}")).title == "Contract article"
        updated = parse(Article, api.put(f"/articles/{article.id}", json={"title": "Contract article 2"}))
        assert updated.title == "Contract article 2" and updated.updated_at >= article.updated_at
        listed = parse(ArticleList, api.get("/articles"))
        assert listed.total_count >= 1
        found = parse(
            ArticleSearchResponse,
            api.get("/articles/search", params={"phrase": "Contract", "state": "draft"}),
        )
        assert article.id in {a.id for a in found.data.articles}
        v216 = parse(Article, api.get(f"/articles/{article.id}", headers=V216))
        assert "parent_id" not in v216.model_dump(exclude_unset=True)
        versions = parse(ArticleVersionList, api.get(f"/articles/{article.id}/versions", headers=V216))
        assert versions.total_count >= 1
        gone = parse(DeletedObject, api.delete(f"/articles/{article.id}"))
        assert gone.object == "article" and gone.deleted
    expect_error(api.get(f"/articles/{article.id}"), 404, "not_found")


@check(writes=True)
def article_errors(api: httpx.Client) -> None:
    expect_error(api.post("/articles", json={"title": "x", "body": "y"}), 400, "parameter_not_found")
    expect_error(api.get("/articles/1"), 404, "not_found")
    expect_error(api.get("/articles/1/versions"), 400, "intercom_version_invalid")
