"""Tags, and tagging contacts and companies.

Tag names are unique per workspace and case insensitive: creating "VIP" when "vip" exists returns
"vip". A tagging remembers when and by which admin it was applied; requests that name no admin
tag as the workspace owner.
"""

from typing import Any

from fastapi import Depends

from contracts.models.tags import AttachTagRequest, TagCompanyRef, TagList, TagRequest, TagUserRef
from contracts.models.tags import Tag as TagModel
from fake_intercom import events, responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid, require, tag_has_dependent_objects
from fake_intercom.resources._contact_store import require_contact, touch_contact
from fake_intercom.resources.companies import (
    company_not_found,
    find_company,
    find_company_by,
    tag_company,
)
from fake_intercom.resources.segments import segments_depending_on_tag
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads

INVALID_TAG_PARAMETERS = "invalid tag parameters"
# Which link table tags which kind of object, and its owner column.
LINKS = {
    "contact": ("contact_tags", "contact_id"),
    "company": ("company_tags", "company_id"),
    "ticket": ("ticket_tags", "ticket_id"),
}

router = IntercomRouter(tags=["Tags"])


# -- domain -------------------------------------------------------------------------------------


def find_tag(store: Store, workspace_id: str, tag_id: str | int) -> dict[str, Any] | None:
    return store.data("tags", workspace_id, str(tag_id))


def find_tag_named(store: Store, workspace_id: str, name: str) -> dict[str, Any] | None:
    text = store.scalar(
        "SELECT data FROM tags WHERE workspace_id = ? AND name = ? COLLATE NOCASE", (workspace_id, name)
    )
    return loads(text)


def create_tag(store: Store, workspace: Workspace, name: str) -> dict[str, Any]:
    """The tag called `name` (in any case), created if there is none."""
    existing = find_tag_named(store, workspace.id, name)
    if existing is not None:
        return existing
    tag = {"type": "tag", "id": store.numeric_id(workspace.id, "tag"), "name": name}
    store.insert("tags", {"workspace_id": workspace.id, "id": tag["id"], "name": name, "data": dumps(tag)})
    return tag


def rename_tag(store: Store, workspace_id: str, tag: dict[str, Any], name: str) -> dict[str, Any]:
    other = find_tag_named(store, workspace_id, name)
    if other is not None and other["id"] != tag["id"]:
        raise parameter_invalid(f"A tag named '{name}' already exists")
    renamed = {**tag, "name": name}
    store.update("tags", workspace_id, tag["id"], {"name": name, "data": dumps(renamed)})
    return renamed


def delete_tag(store: Store, workspace_id: str, tag_id: str) -> None:
    store.delete("tags", workspace_id, tag_id)
    for table_name, _ in LINKS.values():
        store.execute(
            f"DELETE FROM {table_name} WHERE workspace_id = ? AND tag_id = ?", (workspace_id, tag_id)
        )
    events.tag_deleted.fire(store, workspace_id, tag_id)


def tag_contact(store: Store, workspace: Workspace, contact_id: str, tag_id: str, admin_id: str) -> None:
    """Tag once: tagging again keeps the first application's time and admin."""
    store.execute(
        "INSERT OR IGNORE INTO contact_tags (workspace_id, contact_id, tag_id, applied_at, applied_by) "
        "VALUES (?, ?, ?, ?, ?)",
        (workspace.id, contact_id, tag_id, store.now(workspace), str(admin_id)),
    )


def untag(store: Store, workspace_id: str, kind: str, owner_id: str, tag_id: str) -> None:
    table_name, owner = LINKS[kind]
    store.execute(
        f"DELETE FROM {table_name} WHERE workspace_id = ? AND {owner} = ? AND tag_id = ?",
        (workspace_id, owner_id, tag_id),
    )


def applied_tag(
    store: Store, workspace_id: str, kind: str, owner_id: str, tag: dict[str, Any]
) -> dict[str, Any]:
    """The tag as a tagging answers it: with `applied_at` and `applied_by` when it is applied."""
    table_name, owner = LINKS[kind]
    link = store.one(
        f"SELECT applied_at, applied_by FROM {table_name} WHERE workspace_id = ? AND {owner} = ? AND tag_id = ?",
        (workspace_id, owner_id, tag["id"]),
    )
    if link is None:
        return tag
    return {
        **tag,
        "applied_at": link["applied_at"],
        "applied_by": {"type": "admin", "id": link["applied_by"]},
    }


def _owner_admin(ctx: Ctx) -> str:
    return ctx.workspace.owner_admin_id or ""


# -- POST /tags, in its four forms --------------------------------------------------------------


def _tag_companies(ctx: Ctx, name: str, refs: list[TagCompanyRef]) -> dict[str, Any]:
    company_ids = [_resolve_company(ctx, ref) for ref in refs]
    if refs and all(ref.untag for ref in refs):
        # Untagging never creates the tag it removes.
        tag = find_tag_named(ctx.store, ctx.ws, name)
        if tag is None:
            raise not_found()
    else:
        tag = create_tag(ctx.store, ctx.workspace, name)
    for ref, company_id in zip(refs, company_ids, strict=True):
        if ref.untag:
            untag(ctx.store, ctx.ws, "company", company_id, tag["id"])
        else:
            tag_company(ctx.store, ctx.workspace, company_id, tag["id"], _owner_admin(ctx))
    return tag


def _resolve_company(ctx: Ctx, ref: TagCompanyRef) -> str:
    if ref.id is not None:
        row = find_company(ctx.store, ctx.ws, str(ref.id))
    elif ref.company_id is not None:
        row = find_company_by(ctx.store, ctx.ws, "company_id", str(ref.company_id))
    else:
        raise parameter_invalid(INVALID_TAG_PARAMETERS)
    if row is None:
        raise company_not_found()
    return str(row["id"])


def _tag_users(ctx: Ctx, name: str, refs: list[TagUserRef]) -> dict[str, Any]:
    if any(not ref.id for ref in refs):
        raise parameter_invalid(INVALID_TAG_PARAMETERS)
    contact_ids = [require_contact(ctx, str(ref.id))["id"] for ref in refs]
    tag = create_tag(ctx.store, ctx.workspace, name)
    for contact_id in contact_ids:
        tag_contact(ctx.store, ctx.workspace, contact_id, tag["id"], _owner_admin(ctx))
        touch_contact(ctx, contact_id)
    return tag


@router.operation("listTags", response_model=TagList)
async def list_tags(ctx: Ctx = Depends(context)) -> Any:
    rows = ctx.store.query(
        "SELECT data FROM tags WHERE workspace_id = ? ORDER BY CAST(id AS INTEGER)", (ctx.ws,)
    )
    return responses.raw('{"type":"list","data":[' + ",".join(row["data"] for row in rows) + "]}")


@router.operation("createTag", response_model=TagModel)
async def create_or_update_tag(body: TagRequest, ctx: Ctx = Depends(context)) -> Any:
    name = (body.name or "").strip()
    if not name:
        raise parameter_invalid(INVALID_TAG_PARAMETERS)
    if body.companies is not None:
        tag = _tag_companies(ctx, name, body.companies)
    elif body.users is not None:
        tag = _tag_users(ctx, name, body.users)
    elif body.id is not None:
        tag = rename_tag(ctx.store, ctx.ws, require(find_tag(ctx.store, ctx.ws, body.id), not_found), name)
    else:
        tag = create_tag(ctx.store, ctx.workspace, name)
    return responses.json(tag)


@router.operation("findTag", response_model=TagModel)
async def find_tag_route(tag_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(require(find_tag(ctx.store, ctx.ws, tag_id), not_found))


@router.operation("deleteTag")
async def delete_tag_route(tag_id: str, ctx: Ctx = Depends(context)) -> Any:
    require(find_tag(ctx.store, ctx.ws, tag_id), not_found)
    dependants = segments_depending_on_tag(ctx.store, ctx.ws, tag_id)
    if dependants:
        raise tag_has_dependent_objects(dependants)
    delete_tag(ctx.store, ctx.ws, tag_id)
    return responses.empty()


@router.operation("attachTagToContact", response_model=TagModel)
async def attach_tag_to_contact(contact_id: str, body: AttachTagRequest, ctx: Ctx = Depends(context)) -> Any:
    require_contact(ctx, contact_id)
    tag = require(find_tag(ctx.store, ctx.ws, body.id), not_found)
    tag_contact(ctx.store, ctx.workspace, contact_id, tag["id"], _owner_admin(ctx))
    touch_contact(ctx, contact_id)
    return responses.json(applied_tag(ctx.store, ctx.ws, "contact", contact_id, tag))


@router.operation("detachTagFromContact", response_model=TagModel)
async def detach_tag_from_contact(contact_id: str, tag_id: str, ctx: Ctx = Depends(context)) -> Any:
    require_contact(ctx, contact_id)
    tag = require(find_tag(ctx.store, ctx.ws, tag_id), not_found)
    removed = applied_tag(ctx.store, ctx.ws, "contact", contact_id, tag)
    untag(ctx.store, ctx.ws, "contact", contact_id, tag_id)
    touch_contact(ctx, contact_id)
    return responses.json(removed)
