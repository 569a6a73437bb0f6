"""Help center articles: CRUD, search with highlights, and 2.16's tags, versions and drafts.

An article keeps its content per locale in `translated_content`; the top-level title and body are
the default locale's. Every create and update records a version of each locale it changed, so
the 2.16 version history is the article's real history. A published article can carry a staged
draft (2.16) that leaves the live content untouched until it is published. The collection an
article sits in is a real column, so deleting a collection frees its articles.
"""

import re
from typing import Any

from fastapi import Depends, Query

from contracts.models.articles import (
    ApplyTagRequest,
    Article,
    ArticleList,
    ArticleRequest,
    ArticleSearchResponse,
    ArticleVersion,
    ArticleVersionList,
    PublishDraftRequest,
)
from contracts.models.common import DeletedObject
from contracts.models.tags import Tag
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    OBJECT_NOT_FOUND,
    article_not_found,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
)
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.resources._content_common import (
    admin_id_param,
    article_html,
    attach_tag,
    content_tags,
    detach_tag,
    drop_tags,
    markdown_of,
    plain_text,
    sentences,
)
from fake_intercom.resources.help_center import (
    DEFAULT_LOCALE,
    collection_ancestors,
    collection_help_center,
    find_collection,
    help_center_url,
    slug,
)
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

ARTICLES = table(
    "articles",
    {
        "id": str,
        "state": str,
        "parent_id": str,
        "author_id": int,
        "created_at": int,
        "updated_at": int,
        "search_text": str,
        "draft": str,
        "data": str,
    },
    indexes=(("workspace_id", "updated_at"), ("workspace_id", "parent_id")),
)
VERSIONS = table(
    "article_versions",
    {"id": str, "article_id": str, "locale": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "article_id", "locale"),),
)

LIST_PER_PAGE = (25, 250)
SEARCH_PER_PAGE = (10, 250)
VERSIONS_PER_PAGE = (25, 250)
# Keys that exist only from 2.16 on (FIDELITY §2.4).
V216_KEYS = (
    "body_markdown",
    "has_unpublished_changes",
    "draft_updated_at",
    "ai_chatbot_availability",
    "ai_copilot_availability",
    "ai_sales_agent_availability",
    "created_by_id",
    "updated_by_id",
)
AVAILABILITY = ("ai_chatbot_availability", "ai_copilot_availability", "ai_sales_agent_availability")
STATISTICS = {
    "type": "article_statistics",
    "views": 0,
    "conversations": 0,
    "reactions": 0,
    "happy_reaction_percentage": 0,
    "neutral_reaction_percentage": 0,
    "sad_reaction_percentage": 0,
}

router = IntercomRouter(tags=["Articles"])


# -- domain -------------------------------------------------------------------------------------


def _article_url(
    store: Store, workspace_id: str, row_parent: str | None, article_id: str, locale: str, title: str
):
    base = help_center_url(store, workspace_id, collection_help_center(store, workspace_id, row_parent))
    return f"{base}/{locale}/articles/{article_id}-{slug(title)}"


def _refresh(store: Store, workspace_id: str, article: dict[str, Any], parent_id: str | None) -> None:
    """Derive the top-level fields and URLs from the per-locale content."""
    contents = article["translated_content"]
    for locale, content in contents.items():
        if locale == "type":
            continue
        published = content["state"] == "published"
        content["url"] = (
            _article_url(store, workspace_id, parent_id, article["id"], locale, content["title"] or "")
            if published
            else None
        )
    default = contents[article["default_locale"]]
    for key in ("title", "description", "body", "author_id", "state", "url"):
        article[key] = default[key]


def _search_text(article: dict[str, Any]) -> str:
    parts = []
    for locale, content in article["translated_content"].items():
        if locale != "type":
            parts.append(f"{content['title'] or ''} {plain_text(content['body'])}")
    return " ".join(parts).lower()


def _content_changes(body: ArticleRequest) -> dict[str, dict[str, Any]]:
    """What a request says about each locale: the main body is the default locale's."""
    changes: dict[str, dict[str, Any]] = {}
    for locale, content in (body.translated_content or {}).items():
        if locale == "type" or not isinstance(content, dict):
            continue
        changes[locale] = {
            key: content[key]
            for key in ("title", "description", "body", "body_markdown", "author_id", "state")
            if content.get(key) is not None
        }
    main = {
        key: getattr(body, key)
        for key in ("title", "description", "body", "body_markdown", "author_id", "state")
        if getattr(body, key) is not None
    }
    changes[DEFAULT_LOCALE] = {**changes.get(DEFAULT_LOCALE, {}), **main}
    for change in changes.values():
        if "body" not in change and change.get("body_markdown"):
            change["body"] = "".join(
                f"<p>{line.lstrip('# ')}</p>"
                for line in str(change["body_markdown"]).splitlines()
                if line.strip()
            )
        change.pop("body_markdown", None)
        if "body" in change:
            change["body"] = article_html(str(change["body"]))
    return changes


def _record_version(
    store: Store, workspace: Workspace, article: dict[str, Any], locale: str, created_by: str | None
) -> None:
    content = article["translated_content"][locale]
    previous = store.scalar(
        "SELECT id FROM article_versions WHERE workspace_id = ? AND article_id = ? AND locale = ? "
        "ORDER BY CAST(id AS INTEGER) DESC LIMIT 1",
        (workspace.id, article["id"], locale),
    )
    now = store.now(workspace)
    version = {
        "type": "article_version",
        "id": store.numeric_id(workspace.id, "article_version", base=300),
        "article_id": article["id"],
        "title": content["title"],
        "body": content["body"],
        "body_markdown": markdown_of(content["body"]),
        "author_id": str(content["author_id"]),
        "created_by_id": created_by,
        "created_via": "api",
        "from_version_id": previous,
        "state": content["state"],
        "created_at": now,
        "updated_at": now,
    }
    store.insert(
        "article_versions",
        {
            "workspace_id": workspace.id,
            "id": version["id"],
            "article_id": article["id"],
            "locale": locale,
            "created_at": now,
            "data": dumps(version),
        },
    )


def _apply(
    store: Store, workspace: Workspace, article: dict[str, Any], changes: dict[str, dict[str, Any]], now: int
) -> list[str]:
    """Apply per-locale changes; answer the locales whose content changed."""
    changed = []
    contents = article["translated_content"]
    for locale, change in changes.items():
        current = contents.get(locale)
        if current is None:
            if not change:
                continue
            default = contents.get(article["default_locale"], {})
            current = {
                "type": "article_content",
                "title": None,
                "description": "",
                "body": "",
                "author_id": default.get("author_id"),
                "state": "draft",
                "created_at": now,
                "updated_at": now,
                "url": None,
            }
        updated = {**current, **change}
        # Intercom answers an empty description, never null (its recorded examples).
        updated["description"] = updated["description"] or ""
        if updated != current or locale not in contents:
            updated["updated_at"] = now
            contents[locale] = updated
            changed.append(locale)
    return changed


def save_article(store: Store, workspace_id: str, article: dict[str, Any], parent_id: str | None) -> None:
    _refresh(store, workspace_id, article, parent_id)
    store.update(
        "articles",
        workspace_id,
        article["id"],
        {
            "state": article["state"],
            "parent_id": parent_id,
            "author_id": article["author_id"],
            "updated_at": article["updated_at"],
            "search_text": _search_text(article),
            "data": dumps(article),
        },
    )


def create_article(
    store: Store,
    workspace: Workspace,
    *,
    title: str,
    body: str,
    author_id: int,
    state: str = "draft",
    parent_id: str | None = None,
    description: str | None = None,
    translated: dict[str, dict[str, Any]] | None = None,
    availability: dict[str, bool] | None = None,
    created_by: str | None = None,
) -> dict[str, Any]:
    now = store.now(workspace)
    article_id = store.numeric_id(workspace.id, "article", base=30)
    article: dict[str, Any] = {
        "id": article_id,
        "type": "article",
        "workspace_id": workspace.id,
        "default_locale": DEFAULT_LOCALE,
        "translated_content": {"type": "article_translated_content"},
        "created_at": now,
        "updated_at": now,
        "statistics": dict(STATISTICS),
        "ai_chatbot_availability": True,
        "ai_copilot_availability": True,
        "ai_sales_agent_availability": True,
        "created_by_id": int(created_by) if created_by else None,
        "updated_by_id": int(created_by) if created_by else None,
        **(availability or {}),
    }
    changes = dict(translated or {})
    changes[DEFAULT_LOCALE] = {
        **changes.get(DEFAULT_LOCALE, {}),
        "title": title,
        "description": description,
        "body": article_html(body),
        "author_id": author_id,
        "state": state,
    }
    locales = _apply(store, workspace, article, changes, now)
    _refresh(store, workspace.id, article, parent_id)
    store.insert(
        "articles",
        {
            "workspace_id": workspace.id,
            "id": article_id,
            "state": article["state"],
            "parent_id": parent_id,
            "author_id": article["author_id"],
            "created_at": now,
            "updated_at": now,
            "search_text": _search_text(article),
            "draft": None,
            "data": dumps(article),
        },
    )
    for locale in locales:
        _record_version(store, workspace, article, locale, created_by)
    return article


def render_article(
    store: Store, workspace_id: str, row: dict[str, Any], *, v216: bool, statistics: bool = True
) -> dict[str, Any]:
    article = loads(row["data"])
    draft = loads(row.get("draft"))
    parent_id = row["parent_id"]
    rendered: dict[str, Any] = {
        "id": article["id"],
        "type": "article",
        "workspace_id": article["workspace_id"],
    }
    if not v216:
        rendered["parent_id"] = int(parent_id) if parent_id is not None else None
        rendered["parent_type"] = "collection" if parent_id is not None else None
    rendered["parent_ids"] = collection_ancestors(store, workspace_id, parent_id)
    if statistics:
        rendered["statistics"] = article["statistics"]
    rendered["tags"] = content_tags(store, workspace_id, "article", article["id"])
    for key in ("title", "description", "body", "author_id", "state", "created_at", "updated_at", "url"):
        rendered[key] = article[key]
    rendered["default_locale"] = article["default_locale"]
    contents = {"type": "article_translated_content"}
    for locale, content in article["translated_content"].items():
        if locale == "type":
            continue
        contents[locale] = dict(content)
        if v216:
            contents[locale]["body_markdown"] = markdown_of(content["body"])
    rendered["translated_content"] = contents
    if v216:
        rendered["body_markdown"] = markdown_of(article["body"])
        rendered["has_unpublished_changes"] = draft is not None
        rendered["draft_updated_at"] = draft["updated_at"] if draft else None
        for key in (*AVAILABILITY, "created_by_id", "updated_by_id"):
            rendered[key] = article.get(key)
    return rendered


def published_articles(store: Store, workspace_id: str) -> list[dict[str, Any]]:
    """The live articles Fin may answer from (2.16 lets an article opt out of Fin)."""
    rows = store.query(
        "SELECT data FROM articles WHERE workspace_id = ? AND state = 'published' "
        "ORDER BY updated_at DESC, CAST(id AS INTEGER) DESC",
        (workspace_id,),
    )
    articles = [loads(row["data"]) for row in rows]
    return [article for article in articles if article.get("ai_chatbot_availability", True)]


def content_id(article_id: str, locale: str, article: dict[str, Any]) -> str:
    """The id of one locale's content (2.16's `article_content`): locales keep their order."""
    locales = [key for key in article["translated_content"] if key != "type"]
    return f"{article_id}{locales.index(locale):02d}"


def locale_of_content(store: Store, workspace_id: str, content: str) -> tuple[dict[str, Any], str] | None:
    """The row and locale an `article_content` id names."""
    if not content.isdigit() or len(content) < 3:
        return None
    row = store.row("articles", workspace_id, content[:-2])
    if row is None:
        return None
    locales = [key for key in loads(row["data"])["translated_content"] if key != "type"]
    position = int(content[-2:])
    return (row, locales[position]) if position < len(locales) else None


def change_article(
    store: Store, workspace: Workspace, row: dict[str, Any], changes: dict[str, dict[str, Any]], **flags: Any
) -> None:
    """Apply content changes and flags to a stored article, recording versions (bulk actions)."""
    article = loads(row["data"])
    now = store.now(workspace)
    locales = _apply(store, workspace, article, changes, now)
    article.update(flags)
    article["updated_at"] = now
    save_article(store, workspace.id, article, row["parent_id"])
    for locale in locales:
        _record_version(store, workspace, article, locale, workspace.owner_admin_id)


def delete_article(store: Store, workspace_id: str, article_id: str) -> None:
    store.delete("articles", workspace_id, article_id)
    store.execute(
        "DELETE FROM article_versions WHERE workspace_id = ? AND article_id = ?", (workspace_id, article_id)
    )
    drop_tags(store, workspace_id, "article", article_id)


def _row(ctx: Ctx, article_id: int | str) -> dict[str, Any] | None:
    return ctx.store.row("articles", ctx.ws, str(article_id))


def _render(ctx: Ctx, article_id: str) -> dict[str, Any]:
    return render_article(
        ctx.store, ctx.ws, require(_row(ctx, article_id), not_found), v216=ctx.since("2.16")
    )


def _check_parent(ctx: Ctx, body: ArticleRequest) -> str | None:
    if body.parent_type not in (None, "collection"):
        raise parameter_invalid("parent_type must be collection", field="parent_type")
    if body.parent_id in (None, ""):
        return None
    if find_collection(ctx.store, ctx.ws, body.parent_id) is None:
        raise parameter_invalid("parent_id must be the id of a collection", field="parent_id")
    return str(body.parent_id)


def _check_authors(ctx: Ctx, changes: dict[str, dict[str, Any]]) -> None:
    for locale, change in changes.items():
        if "author_id" in change:
            field = "author_id" if locale == DEFAULT_LOCALE else f"translated_content.{locale}.author_id"
            change["author_id"] = admin_id_param(ctx, change["author_id"], field)
        if change.get("state") not in (None, "published", "draft"):
            raise parameter_invalid("state must be published or draft", field="state")


def _availability(body: ArticleRequest) -> dict[str, bool]:
    return {key: value for key in AVAILABILITY if (value := getattr(body, key)) is not None}


def _creator(ctx: Ctx) -> str | None:
    return ctx.workspace.owner_admin_id


# -- CRUD ---------------------------------------------------------------------------------------


@router.operation("listArticles", response_model=ArticleList)
async def list_articles(
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Articles per page: 25 unless set, at most 250."),
    ctx: Ctx = Depends(context),
) -> Any:
    default, maximum = LIST_PER_PAGE
    result = numbered_page(
        ctx.store,
        select="*",
        from_where="articles WHERE workspace_id = ?",
        params=[ctx.ws],
        order_by="updated_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=f"{ctx.base_url}/articles",
    )
    v216 = ctx.since("2.16")
    return responses.json(
        {
            "type": "list",
            "pages": result.pages(),
            "total_count": result.total_count,
            "data": [
                render_article(ctx.store, ctx.ws, row, v216=v216, statistics=False) for row in result.rows
            ],
        }
    )


@router.operation("createArticle", response_model=Article)
async def create_article_route(body: ArticleRequest, ctx: Ctx = Depends(context)) -> Any:
    changes = _content_changes(body)
    default = changes[DEFAULT_LOCALE]
    if default.get("author_id") is None:
        raise parameter_not_found(
            "author_id must be in the main body or default locale translated_content object"
        )
    if not default.get("title"):
        raise parameter_not_found(
            "title must be in the main body or default locale translated_content object"
        )
    _check_authors(ctx, changes)
    parent_id = _check_parent(ctx, body)
    others = {locale: change for locale, change in changes.items() if locale != DEFAULT_LOCALE}
    article = create_article(
        ctx.store,
        ctx.workspace,
        title=default["title"],
        body=default.get("body", ""),
        author_id=default["author_id"],
        state=default.get("state", "draft"),
        parent_id=parent_id,
        description=default.get("description"),
        translated=others,
        availability=_availability(body),
        created_by=_creator(ctx),
    )
    return responses.json(_render(ctx, article["id"]))


# -- search (routed before /articles/{article_id}, which would take its path) -------------------------------------------------------------------------------------


def _chunks(text: str, terms: list[str]) -> list[dict[str, str]]:
    """Split text into plain and highlighted runs, highlighting the words of the phrase."""
    if not terms:
        return [{"type": "plain", "text": text}] if text else []
    pattern = re.compile(r"\b(" + "|".join(re.escape(term) for term in terms) + r")\w*", re.IGNORECASE)
    chunks: list[dict[str, str]] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            chunks.append({"type": "plain", "text": text[position : match.start()]})
        chunks.append({"type": "highlight", "text": match.group(0)})
        position = match.end()
    if position < len(text):
        chunks.append({"type": "plain", "text": text[position:]})
    return chunks


def _highlights(article: dict[str, Any], terms: list[str]) -> dict[str, Any]:
    matching = [s for s in sentences(article["body"] or "") if any(t in s.lower() for t in terms)]
    summary = matching[:2] or sentences(article["body"] or "")[:1]
    return {
        "article_id": article["id"],
        "highlighted_title": _chunks(article["title"] or "", terms),
        "highlighted_summary": [_chunks(sentence, terms) for sentence in summary],
    }


@router.operation("searchArticles", response_model=ArticleSearchResponse)
async def search_articles(
    phrase: str | None = Query(default=None, description="Words the articles must contain."),
    state: str | None = Query(default=None, description="published, draft or all (the default)."),
    help_center_id: int | None = Query(default=None, description="Only the articles of this help center."),
    highlight: bool = Query(default=False, description="Answer the matching words highlighted."),
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Articles per page: 10 unless set."),
    ctx: Ctx = Depends(context),
) -> Any:
    where = ["workspace_id = ?"]
    params: list[Any] = [ctx.ws]
    if state not in (None, "", "all", "published", "draft"):
        raise parameter_invalid("state must be one of published, draft or all", field="state")
    if state in ("published", "draft"):
        where.append("state = ?")
        params.append(state)
    if help_center_id is not None:
        collections = [
            row["id"]
            for row in ctx.store.query("SELECT id FROM collections WHERE workspace_id = ?", (ctx.ws,))
            if collection_help_center(ctx.store, ctx.ws, row["id"]) == str(help_center_id)
        ]
        where.append(f"parent_id IN ({', '.join('?' * len(collections))})" if collections else "0")
        params.extend(collections)
    terms = sorted(set(re.findall(r"[a-z0-9]+", (phrase or "").lower())))
    for term in terms:
        where.append("instr(search_text, ?) > 0")
        params.append(term)
    default, maximum = SEARCH_PER_PAGE
    query = {
        "phrase": phrase,
        "state": state,
        "help_center_id": help_center_id,
        "highlight": highlight or None,
    }
    result = numbered_page(
        ctx.store,
        select="*",
        from_where=f"articles WHERE {' AND '.join(where)}",
        params=params,
        order_by="updated_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=f"{ctx.base_url}/articles/search",
        query=query,
    )
    v216 = ctx.since("2.16")
    articles = [render_article(ctx.store, ctx.ws, row, v216=v216, statistics=False) for row in result.rows]
    highlights = [_highlights(article, terms) for article in articles] if highlight else []
    return responses.json(
        {
            "type": "list",
            "total_count": result.total_count,
            "data": {"articles": articles, "highlights": highlights},
            "pages": result.pages(),
        }
    )


@router.operation("retrieveArticle", response_model=Article)
async def retrieve_article(article_id: int, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(_render(ctx, str(article_id)))


@router.operation("updateArticle", response_model=Article)
async def update_article(article_id: int, body: ArticleRequest, ctx: Ctx = Depends(context)) -> Any:
    row = require(_row(ctx, article_id), not_found)
    article = loads(row["data"])
    changes = {locale: change for locale, change in _content_changes(body).items() if change}
    _check_authors(ctx, changes)
    parent_id = _check_parent(ctx, body) if "parent_id" in body.model_fields_set else row["parent_id"]
    now = ctx.now()
    locales = _apply(ctx.store, ctx.workspace, article, changes, now)
    availability = _availability(body)
    if locales or availability or parent_id != row["parent_id"]:
        article.update(availability)
        article["updated_at"] = now
        article["updated_by_id"] = int(ctx.workspace.owner_admin_id) if ctx.workspace.owner_admin_id else None
    save_article(ctx.store, ctx.ws, article, parent_id)
    for locale in locales:
        _record_version(ctx.store, ctx.workspace, article, locale, _creator(ctx))
    return responses.json(_render(ctx, article["id"]))


@router.operation("deleteArticle", response_model=DeletedObject)
async def delete_article_route(article_id: int, ctx: Ctx = Depends(context)) -> Any:
    row = require(_row(ctx, article_id), not_found)
    delete_article(ctx.store, ctx.ws, row["id"])
    return responses.deleted(row["id"], "article")


# -- tags (2.16) --------------------------------------------------------------------------------


@router.operation("attachTagToArticle", response_model=Tag)
async def attach_tag_to_article(article_id: int, body: ApplyTagRequest, ctx: Ctx = Depends(context)) -> Any:
    row = require(_row(ctx, article_id), article_not_found)
    admin_id = str(body.admin_id) if body.admin_id is not None else None
    return responses.json(attach_tag(ctx, "article", row["id"], body.id, admin_id))


@router.operation("detachTagFromArticle", response_model=Tag)
async def detach_tag_from_article(article_id: int, id: str, ctx: Ctx = Depends(context)) -> Any:
    row = require(_row(ctx, article_id), article_not_found)
    return responses.json(detach_tag(ctx, "article", row["id"], id))


# -- versions (2.16) ----------------------------------------------------------------------------


def _version_locale(ctx: Ctx, row: dict[str, Any], locale: str | None) -> str:
    article = loads(row["data"])
    locale = locale or article["default_locale"]
    if locale not in article["translated_content"] or locale == "type":
        raise parameter_invalid("Unknown locale", field="locale")
    return locale


@router.operation("listArticleVersions", response_model=ArticleVersionList)
async def list_article_versions(
    article_id: int,
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Versions per page: 25 unless set, at most 250."),
    locale: str | None = Query(
        default=None, description="The locale's history; the default locale if omitted."
    ),
    ctx: Ctx = Depends(context),
) -> Any:
    row = require(_row(ctx, article_id), not_found, OBJECT_NOT_FOUND)
    locale = _version_locale(ctx, row, locale)
    default, maximum = VERSIONS_PER_PAGE
    result = numbered_page(
        ctx.store,
        select="data",
        from_where="article_versions WHERE workspace_id = ? AND article_id = ? AND locale = ?",
        params=[ctx.ws, row["id"], locale],
        order_by="CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=f"{ctx.base_url}/articles/{row['id']}/versions",
        query={"locale": locale if locale != DEFAULT_LOCALE else None},
    )
    summaries = []
    for version_row in result.rows:
        version = loads(version_row["data"])
        summaries.append(
            {k: v for k, v in version.items() if k not in ("body", "body_markdown", "updated_at")}
        )
    return responses.json(
        {"type": "list", "pages": result.pages(), "total_count": result.total_count, "data": summaries}
    )


@router.operation("retrieveArticleVersion", response_model=ArticleVersion)
async def retrieve_article_version(
    article_id: int,
    id: str,
    locale: str | None = Query(default=None, description="The locale of the version."),
    ctx: Ctx = Depends(context),
) -> Any:
    row = require(_row(ctx, article_id), not_found, OBJECT_NOT_FOUND)
    locale = _version_locale(ctx, row, locale)
    version_row = ctx.store.row("article_versions", ctx.ws, id)
    if version_row is None or version_row["article_id"] != row["id"] or version_row["locale"] != locale:
        raise not_found(OBJECT_NOT_FOUND)
    return responses.raw(version_row["data"])


# -- drafts (2.16) ------------------------------------------------------------------------------


def _draft_view(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    """The article as it will read once its staged draft is published."""
    rendered = render_article(ctx.store, ctx.ws, row, v216=True)
    draft = loads(row["draft"])
    for locale, staged in draft["locales"].items():
        content = rendered["translated_content"].setdefault(locale, {"type": "article_content"})
        content.update(staged)
        content["body_markdown"] = markdown_of(content.get("body"))
        content["has_unpublished_changes"] = True
        content["draft_updated_at"] = draft["updated_at"]
    default = rendered["translated_content"][rendered["default_locale"]]
    rendered["title"], rendered["body"] = default.get("title"), default.get("body")
    rendered["body_markdown"] = markdown_of(rendered["body"])
    return rendered


@router.operation("retrieveArticleDraft", response_model=Article)
async def retrieve_article_draft(id: int, ctx: Ctx = Depends(context)) -> Any:
    row = require(_row(ctx, id), not_found, OBJECT_NOT_FOUND)
    if row["draft"] is None:
        raise not_found(OBJECT_NOT_FOUND)
    return responses.json(_draft_view(ctx, row))


@router.operation("stageArticleDraft", response_model=Article)
async def stage_article_draft(id: int, body: ArticleRequest, ctx: Ctx = Depends(context)) -> Any:
    row = require(_row(ctx, id), not_found, OBJECT_NOT_FOUND)
    if row["state"] != "published":
        raise parameter_invalid("Article must be published before a draft can be staged", status=422)
    draft = loads(row["draft"]) or {"locales": {}}
    for locale, change in _content_changes(body).items():
        # Only versioned text is staged; state, authorship and availability stay live.
        text = {key: change[key] for key in ("title", "description", "body") if key in change}
        if text:
            draft["locales"][locale] = {**draft["locales"].get(locale, {}), **text}
    if not draft["locales"]:
        raise parameter_not_found("title or body is required to stage a draft")
    draft["updated_at"] = ctx.now()
    ctx.store.update("articles", ctx.ws, row["id"], {"draft": dumps(draft)})
    return responses.json(_draft_view(ctx, require(_row(ctx, id), not_found)))


@router.operation("publishArticleDraft", response_model=Article)
async def publish_article_draft(
    id: int, body: PublishDraftRequest | None = None, ctx: Ctx = Depends(context)
) -> Any:
    row = require(_row(ctx, id), not_found, OBJECT_NOT_FOUND)
    draft = loads(row["draft"])
    if draft is None:
        raise parameter_invalid("Article has no draft to publish", status=422)
    article = loads(row["data"])
    locales = body.locales if body is not None and body.locales is not None else None
    multilingual = len([key for key in article["translated_content"] if key != "type"]) > 1
    if locales is None:
        if multilingual:
            raise parameter_not_found(
                "locales must be specified to publish a draft on a multilingual workspace", status=422
            )
        locales = list(draft["locales"])
    missing = [locale for locale in locales if locale not in draft["locales"]]
    if missing:
        raise parameter_invalid(
            f"Cannot publish a draft for locale(s) without pending changes: {', '.join(missing)}", status=422
        )
    now = ctx.now()
    changes = {locale: draft["locales"].pop(locale) for locale in locales}
    changed = _apply(ctx.store, ctx.workspace, article, changes, now)
    article["updated_at"] = now
    save_article(ctx.store, ctx.ws, article, row["parent_id"])
    ctx.store.update("articles", ctx.ws, row["id"], {"draft": dumps(draft) if draft["locales"] else None})
    for locale in changed:
        _record_version(ctx.store, ctx.workspace, article, locale, _creator(ctx))
    return responses.json(render_article(ctx.store, ctx.ws, require(_row(ctx, id), not_found), v216=True))
