"""Help centers, collections, the legacy sections, and 2.16's help center redirects.

The API creates no help center: a workspace has none until its first collection is made, which
opens a default one (Intercom's spec example lists none for a new workspace). Sub-collections are
collections with a `parent_id`; before 2.9 they were "sections", and the legacy section endpoints
Definable still calls serve them in that shape, so a section also shows in the collections list.
"""

import re
from typing import Any

from fastapi import Depends, Query

from contracts.models.common import DeletedObject
from contracts.models.help_center import (
    Collection,
    CollectionList,
    CollectionRequest,
    HelpCenter,
    HelpCenterList,
    HelpCenterRedirect,
    HelpCenterRedirectList,
    HelpCenterRedirectRequest,
    Section,
    SectionList,
    SectionRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    data_invalid,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
    resource_conflict,
)
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

HELP_CENTERS = table(
    "help_centers", {"id": str, "created_at": int, "data": str}, indexes=(("workspace_id", "created_at"),)
)
COLLECTIONS = table(
    "collections",
    {"id": str, "help_center_id": str, "parent_id": str, "updated_at": int, "data": str},
    indexes=(("workspace_id", "updated_at"), ("workspace_id", "parent_id")),
)
REDIRECTS = table(
    "help_center_redirects",
    {"id": str, "help_center_id": str, "from_url": str, "updated_at": int, "data": str},
    indexes=(("workspace_id", "help_center_id", "updated_at"),),
    unique_indexes=(("workspace_id", "help_center_id", "from_url"),),
)

COLLECTIONS_PER_PAGE = (20, 250)
REDIRECTS_PER_PAGE = (50, 250)
DEFAULT_LOCALE = "en"
REDIRECT_NOT_FOUND = "Resource not found"

router = IntercomRouter(tags=["Help Center"])


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "untitled"


# -- help centers -------------------------------------------------------------------------------


def create_help_center(
    store: Store, workspace: Workspace, display_name: str, identifier: str | None = None
) -> dict[str, Any]:
    now = store.now(workspace)
    identifier = identifier or slug(workspace.name or workspace.id)
    help_center = {
        "id": store.numeric_id(workspace.id, "help_center", base=90),
        "workspace_id": workspace.id,
        "created_at": now,
        "updated_at": now,
        "identifier": identifier,
        "website_turned_on": False,
        "display_name": display_name,
        "url": f"https://intercom.help/{identifier}",
        "custom_domain": None,
    }
    store.insert(
        "help_centers",
        {
            "workspace_id": workspace.id,
            "id": help_center["id"],
            "created_at": now,
            "data": dumps(help_center),
        },
    )
    return help_center


def find_help_center(store: Store, workspace_id: str, help_center_id: str | int) -> dict[str, Any] | None:
    return store.data("help_centers", workspace_id, str(help_center_id))


def first_help_center(store: Store, workspace_id: str) -> dict[str, Any] | None:
    text = store.scalar(
        "SELECT data FROM help_centers WHERE workspace_id = ? ORDER BY created_at, CAST(id AS INTEGER) LIMIT 1",
        (workspace_id,),
    )
    return loads(text)


def default_help_center(store: Store, workspace: Workspace) -> dict[str, Any]:
    return first_help_center(store, workspace.id) or create_help_center(
        store, workspace, f"{workspace.name} Help Center"
    )


def help_center_url(store: Store, workspace_id: str, help_center_id: str | int | None) -> str:
    """Where a help center's pages live; content outside any help center uses the first one's."""
    help_center = None
    if help_center_id is not None:
        help_center = find_help_center(store, workspace_id, help_center_id)
    help_center = help_center or first_help_center(store, workspace_id)
    return help_center["url"] if help_center else f"https://intercom.help/{workspace_id}"


# -- collections --------------------------------------------------------------------------------


def find_collection(store: Store, workspace_id: str, collection_id: str | int) -> dict[str, Any] | None:
    return store.data("collections", workspace_id, str(collection_id))


def collection_ancestors(store: Store, workspace_id: str, collection_id: str | None) -> list[int]:
    """The collection and its parents, nearest first (an article's `parent_ids`)."""
    ids: list[int] = []
    while collection_id is not None and len(ids) < 10:
        row = store.row("collections", workspace_id, collection_id)
        if row is None:
            break
        ids.append(int(row["id"]))
        collection_id = row["parent_id"]
    return ids


def collection_help_center(store: Store, workspace_id: str, collection_id: str | None) -> str | None:
    """The help center a collection belongs to, through its parents for sub-collections."""
    while collection_id is not None:
        row = store.row("collections", workspace_id, collection_id)
        if row is None:
            return None
        if row["parent_id"] is None:
            return row["help_center_id"]
        collection_id = row["parent_id"]
    return None


def _group_content(translated: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The per-locale `{name, description}` of a request's translated_content."""
    contents: dict[str, dict[str, Any]] = {}
    for locale, content in (translated or {}).items():
        if locale == "type" or not isinstance(content, dict):
            continue
        contents[locale] = {
            "type": "group_content",
            "name": content.get("name"),
            "description": content.get("description"),
        }
    return contents


def create_collection(
    store: Store,
    workspace: Workspace,
    name: str,
    *,
    description: str | None = None,
    parent_id: str | None = None,
    help_center_id: str | None = None,
    translated: dict[str, Any] | None = None,
    icon: str = "book-bookmark",
) -> dict[str, Any]:
    now = store.now(workspace)
    collection_id = store.numeric_id(workspace.id, "collection", base=140)
    contents = _group_content(translated)
    default = contents.get(DEFAULT_LOCALE, {})
    contents[DEFAULT_LOCALE] = {
        "type": "group_content",
        "name": name or default.get("name"),
        "description": description if description is not None else default.get("description"),
    }
    for content in contents.values():
        # Intercom answers empty text, never null (its recorded examples).
        content["name"] = content["name"] or ""
        content["description"] = content["description"] or ""
    if parent_id is None and help_center_id is None:
        help_center_id = default_help_center(store, workspace)["id"]
    order = (
        store.scalar(
            "SELECT COUNT(*) FROM collections WHERE workspace_id = ? AND parent_id IS ?",
            (workspace.id, parent_id),
        )
        or 0
    ) + 1
    collection = {
        "id": collection_id,
        "workspace_id": workspace.id,
        "name": contents[DEFAULT_LOCALE]["name"],
        "description": contents[DEFAULT_LOCALE]["description"],
        "url": None,
        "order": order,
        "created_at": now,
        "updated_at": now,
        "icon": icon,
        "default_locale": DEFAULT_LOCALE,
        "translated_content": {"type": "group_translated_content", **contents},
        # As in Intercom's examples, a sub-collection names its parent, not a help center.
        "parent_id": parent_id,
        "help_center_id": int(help_center_id) if parent_id is None and help_center_id is not None else None,
    }
    hc_of_tree = (
        help_center_id if parent_id is None else collection_help_center(store, workspace.id, parent_id)
    )
    collection["url"] = (
        f"{help_center_url(store, workspace.id, hc_of_tree)}/{DEFAULT_LOCALE}/collections/"
        f"{collection_id}-{slug(collection['name'] or '')}"
    )
    store.insert(
        "collections",
        {
            "workspace_id": workspace.id,
            "id": collection_id,
            "help_center_id": str(help_center_id) if collection["help_center_id"] is not None else None,
            "parent_id": parent_id,
            "updated_at": now,
            "data": dumps(collection),
        },
    )
    return collection


def _save_collection(ctx: Ctx, collection: dict[str, Any]) -> None:
    ctx.store.update(
        "collections",
        ctx.ws,
        collection["id"],
        {
            "parent_id": collection["parent_id"],
            "updated_at": collection["updated_at"],
            "data": dumps(collection),
        },
    )


def _check_parent(ctx: Ctx, parent_id: str | int | None, field: str = "parent_id") -> str | None:
    if parent_id is None or parent_id == "":
        return None
    if find_collection(ctx.store, ctx.ws, parent_id) is None:
        raise parameter_invalid(f"{field} must be the id of a collection", field=field)
    return str(parent_id)


def _check_help_center(ctx: Ctx, help_center_id: str | int | None) -> str | None:
    if help_center_id is None or help_center_id == "":
        return None
    if find_help_center(ctx.store, ctx.ws, help_center_id) is None:
        raise not_found()
    return str(help_center_id)


def _list_collections(
    ctx: Ctx, where: str, params: list[Any], page: int | None, per_page: int | None, url: str
):
    default, maximum = COLLECTIONS_PER_PAGE
    return numbered_page(
        ctx.store,
        select="data",
        from_where=f"collections WHERE workspace_id = ?{where}",
        params=[ctx.ws, *params],
        order_by="updated_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=url,
    )


@router.operation("listAllCollections", response_model=CollectionList)
async def list_collections(
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(
        default=None, description="Collections per page: 20 unless set, at most 250."
    ),
    help_center_id: int | None = Query(default=None, description="Only the collections of this help center."),
    ctx: Ctx = Depends(context),
) -> Any:
    where, params = "", []
    if help_center_id is not None:
        where, params = " AND help_center_id = ?", [str(help_center_id)]
    result = _list_collections(ctx, where, params, page, per_page, f"{ctx.base_url}/help_center/collections")
    return responses.json(result.body([loads(row["data"]) for row in result.rows]))


@router.operation("createCollection", response_model=Collection)
async def create_collection_route(body: CollectionRequest, ctx: Ctx = Depends(context)) -> Any:
    translated_name = _group_content(body.translated_content).get(DEFAULT_LOCALE, {}).get("name")
    if not (body.name or translated_name):
        raise parameter_not_found("Name is a required parameter.")
    parent_id = _check_parent(ctx, body.parent_id)
    help_center_id = _check_help_center(ctx, body.help_center_id)
    collection = create_collection(
        ctx.store,
        ctx.workspace,
        body.name or translated_name or "",
        description=body.description,
        parent_id=parent_id,
        help_center_id=help_center_id,
        translated=body.translated_content,
    )
    return responses.json(collection)


@router.operation("retrieveCollection", response_model=Collection)
async def retrieve_collection(collection_id: int, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(find_collection(ctx.store, ctx.ws, collection_id), not_found))


@router.operation("updateCollection", response_model=Collection)
async def update_collection(collection_id: int, body: CollectionRequest, ctx: Ctx = Depends(context)) -> Any:
    collection = require(find_collection(ctx.store, ctx.ws, collection_id), not_found)
    fields = body.model_fields_set
    contents = collection["translated_content"]
    for locale, content in _group_content(body.translated_content).items():
        current = contents.get(locale) or {"type": "group_content", "name": "", "description": ""}
        contents[locale] = {**current, **{k: v for k, v in content.items() if v is not None}}
    default = contents.setdefault(DEFAULT_LOCALE, {"type": "group_content", "name": "", "description": ""})
    if body.name is not None:
        if not body.name.strip():
            raise parameter_invalid("Name can't be blank", field="name")
        default["name"] = body.name
    if "description" in fields:
        default["description"] = body.description or ""
    if "parent_id" in fields:
        parent_id = _check_parent(ctx, body.parent_id)
        if parent_id is not None and int(collection["id"]) in collection_ancestors(
            ctx.store, ctx.ws, parent_id
        ):
            raise parameter_invalid("A collection cannot be its own parent", field="parent_id")
        collection["parent_id"] = parent_id
    collection["name"], collection["description"] = default["name"], default["description"]
    collection["updated_at"] = ctx.now()
    _save_collection(ctx, collection)
    return responses.json(collection)


@router.operation("deleteCollection", response_model=DeletedObject)
async def delete_collection(collection_id: int, ctx: Ctx = Depends(context)) -> Any:
    collection = require(find_collection(ctx.store, ctx.ws, collection_id), not_found)
    doomed = [collection["id"]]
    frontier = [collection["id"]]
    while frontier:
        rows = ctx.store.query(
            f"SELECT id FROM collections WHERE workspace_id = ? AND parent_id IN ({', '.join('?' * len(frontier))})",
            (ctx.ws, *frontier),
        )
        frontier = [row["id"] for row in rows]
        doomed.extend(frontier)
    marks = ", ".join("?" * len(doomed))
    ctx.store.execute(
        f"DELETE FROM collections WHERE workspace_id = ? AND id IN ({marks})", (ctx.ws, *doomed)
    )
    # Articles of a deleted collection stay, outside any collection.
    ctx.store.execute(
        f"UPDATE articles SET parent_id = NULL WHERE workspace_id = ? AND parent_id IN ({marks})",
        (ctx.ws, *doomed),
    )
    return responses.deleted(collection["id"], "collection")


@router.operation("listHelpCenters", response_model=HelpCenterList)
async def list_help_centers(ctx: Ctx = Depends(context)) -> Any:
    rows = ctx.store.query(
        "SELECT data FROM help_centers WHERE workspace_id = ? ORDER BY created_at, CAST(id AS INTEGER)",
        (ctx.ws,),
    )
    return responses.json({"type": "list", "data": [loads(row["data"]) for row in rows]})


@router.operation("retrieveHelpCenter", response_model=HelpCenter)
async def retrieve_help_center(help_center_id: int, ctx: Ctx = Depends(context)) -> Any:
    help_center = find_help_center(ctx.store, ctx.ws, help_center_id)
    if help_center is None:
        raise not_found()
    return responses.json(help_center)


# -- legacy sections ----------------------------------------------------------------------------


def as_section(collection: dict[str, Any]) -> dict[str, Any]:
    """A sub-collection in the pre-2.9 section shape: `type: "section"`, integer `parent_id`."""
    section = {key: value for key, value in collection.items() if key != "help_center_id"}
    return {"type": "section", **section, "parent_id": int(collection["parent_id"])}


@router.operation("listHelpCenterSections", response_model=SectionList)
async def list_sections(
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Sections per page: 20 unless set, at most 250."),
    ctx: Ctx = Depends(context),
) -> Any:
    result = _list_collections(
        ctx, " AND parent_id IS NOT NULL", [], page, per_page, f"{ctx.base_url}/help_center/sections"
    )
    return responses.json(result.body([as_section(loads(row["data"])) for row in result.rows]))


@router.operation("createHelpCenterSection", response_model=Section)
async def create_section(body: SectionRequest, ctx: Ctx = Depends(context)) -> Any:
    translated_name = _group_content(body.translated_content).get(DEFAULT_LOCALE, {}).get("name")
    if not (body.name or translated_name):
        raise parameter_not_found("Name is a required parameter.")
    if body.parent_id is None or body.parent_id == "":
        raise parameter_not_found("Parent id is a required parameter.")
    parent_id = _check_parent(ctx, body.parent_id)
    collection = create_collection(
        ctx.store,
        ctx.workspace,
        body.name or translated_name or "",
        description=body.description,
        parent_id=parent_id,
        translated=body.translated_content,
        icon="bookmark",
    )
    return responses.json(as_section(collection))


# -- redirects (2.16) ---------------------------------------------------------------------------


def _redirect_help_center(ctx: Ctx, help_center_id: str) -> dict[str, Any]:
    """The help center a redirect route names: its redirects 404 with their own message."""
    return require(
        find_help_center(ctx.store, ctx.ws, help_center_id) if help_center_id.isdigit() else None,
        not_found,
        REDIRECT_NOT_FOUND,
    )


@router.operation("listHelpCenterRedirects", response_model=HelpCenterRedirectList)
async def list_redirects(
    help_center_id: str,
    page: int | None = Query(default=None, description="The page of results to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Redirects per page: 50 unless set, at most 250."),
    ctx: Ctx = Depends(context),
) -> Any:
    help_center = _redirect_help_center(ctx, help_center_id)
    default, maximum = REDIRECTS_PER_PAGE
    result = numbered_page(
        ctx.store,
        select="data",
        from_where="help_center_redirects WHERE workspace_id = ? AND help_center_id = ?",
        params=[ctx.ws, help_center["id"]],
        order_by="updated_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, default, maximum),
        url=f"{ctx.base_url}/help_center/help_centers/{help_center['id']}/redirects",
    )
    return responses.json(result.body([loads(row["data"]) for row in result.rows]))


@router.operation("createHelpCenterRedirect", response_model=HelpCenterRedirect)
async def create_redirect(
    help_center_id: str, body: HelpCenterRedirectRequest, ctx: Ctx = Depends(context)
) -> Any:
    help_center = _redirect_help_center(ctx, help_center_id)
    for field in ("from_url", "target_type", "target_id"):
        if getattr(body, field) in (None, ""):
            raise parameter_not_found(f"{field} is required", field=field)
    if body.target_type not in ("article", "collection"):
        raise parameter_invalid("target_type must be 'article' or 'collection'")
    from_url = str(body.from_url)
    if not from_url.startswith(help_center["url"].rstrip("/") + "/"):
        raise data_invalid("from_url must be an absolute URL within this help center's URL space")
    target_table = "articles" if body.target_type == "article" else "collections"
    target_id = str(body.target_id)
    if ctx.store.row(target_table, ctx.ws, target_id) is None:
        raise not_found(REDIRECT_NOT_FOUND)
    taken = ctx.store.scalar(
        "SELECT 1 FROM help_center_redirects WHERE workspace_id = ? AND help_center_id = ? AND from_url = ?",
        (ctx.ws, help_center["id"], from_url),
    )
    if taken:
        raise resource_conflict("A redirect with that URL already exists")
    now = ctx.now()
    redirect = {
        "id": ctx.store.numeric_id(ctx.ws, "help_center_redirect", base=20),
        "type": "help_center_redirect",
        "from_url": from_url,
        "locale": body.locale or DEFAULT_LOCALE,
        "help_center_id": help_center["id"],
        "target_type": body.target_type,
        "target_id": target_id,
        "created_at": now,
        "updated_at": now,
    }
    ctx.store.insert(
        "help_center_redirects",
        {
            "workspace_id": ctx.ws,
            "id": redirect["id"],
            "help_center_id": help_center["id"],
            "from_url": from_url,
            "updated_at": now,
            "data": dumps(redirect),
        },
    )
    return responses.json(redirect)


def _find_redirect(ctx: Ctx, help_center_id: str, redirect_id: str) -> dict[str, Any] | None:
    help_center = _redirect_help_center(ctx, help_center_id)
    redirect = ctx.store.data("help_center_redirects", ctx.ws, redirect_id)
    return redirect if redirect is not None and redirect["help_center_id"] == help_center["id"] else None


@router.operation("retrieveHelpCenterRedirect", response_model=HelpCenterRedirect)
async def retrieve_redirect(help_center_id: str, id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(_find_redirect(ctx, help_center_id, id), not_found, REDIRECT_NOT_FOUND))


@router.operation("deleteHelpCenterRedirect", response_model=DeletedObject)
async def delete_redirect(help_center_id: str, id: str, ctx: Ctx = Depends(context)) -> Any:
    redirect = require(_find_redirect(ctx, help_center_id, id), not_found, REDIRECT_NOT_FOUND)
    ctx.store.delete("help_center_redirects", ctx.ws, redirect["id"])
    return responses.deleted(redirect["id"], "help_center_redirect")
