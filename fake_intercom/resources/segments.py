"""Segments: named groups of contacts (or companies), read-only through the API.

The API cannot create segments, so their members are fixed when the seed (or a test) creates
them. A segment may be defined by a tag (`tag_id`): that tag then cannot be deleted while the
segment exists, as in Intercom.
"""

from typing import Any

from fastapi import Depends, Query

from contracts.models.segments import Segment as SegmentModel
from contracts.models.segments import SegmentList
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

SEGMENT_TAG_RULES = table(
    "segment_tag_rules",
    {"segment_id": str, "tag_id": str},
    pk=("workspace_id", "segment_id", "tag_id"),
    indexes=(("workspace_id", "tag_id"),),
)

router = IntercomRouter(tags=["Segments"])


def create_segment(
    store: Store,
    workspace: Workspace,
    name: str,
    person_type: str,
    member_ids: list[str],
    *,
    tag_id: str | None = None,
) -> dict[str, Any]:
    """A segment of `member_ids` (contact or company ids), optionally defined by a tag."""
    created_at = store.now(workspace)
    segment = {
        "type": "segment",
        "id": store.hex_id(workspace.id, "segment", created_at),
        "name": name,
        "created_at": created_at,
        "updated_at": created_at,
        "person_type": person_type,
    }
    store.insert(
        "segments",
        {
            "workspace_id": workspace.id,
            "id": segment["id"],
            "name": name,
            "person_type": person_type,
            "created_at": created_at,
            "data": dumps(segment),
        },
    )
    for member_id in dict.fromkeys(member_ids):
        store.insert(
            "segment_members",
            {"workspace_id": workspace.id, "segment_id": segment["id"], "member_id": member_id},
        )
    if tag_id is not None:
        store.insert(
            "segment_tag_rules", {"workspace_id": workspace.id, "segment_id": segment["id"], "tag_id": tag_id}
        )
    return segment


def segments_of(store: Store, workspace_id: str, member_id: str) -> list[dict[str, Any]]:
    """The segments a contact or a company belongs to, oldest first."""
    return [
        loads(row["data"])
        for row in store.query(
            "SELECT s.data FROM segment_members m JOIN segments s "
            "ON s.workspace_id = m.workspace_id AND s.id = m.segment_id "
            "WHERE m.workspace_id = ? AND m.member_id = ? ORDER BY s.created_at, s.rowid",
            (workspace_id, member_id),
        )
    ]


def segments_depending_on_tag(store: Store, workspace_id: str, tag_id: str) -> list[str]:
    """Names of the segments defined by this tag."""
    return [
        row["name"]
        for row in store.query(
            "SELECT s.name FROM segment_tag_rules r JOIN segments s "
            "ON s.workspace_id = r.workspace_id AND s.id = r.segment_id "
            "WHERE r.workspace_id = ? AND r.tag_id = ? ORDER BY s.created_at, s.rowid",
            (workspace_id, tag_id),
        )
    ]


_OF_COMPANIES = (
    "EXISTS (SELECT 1 FROM segment_members m JOIN companies c ON c.workspace_id = m.workspace_id "
    "AND c.id = m.member_id WHERE m.workspace_id = s.workspace_id AND m.segment_id = s.id)"
)


@router.operation("listSegments", response_model=SegmentList)
async def list_segments(
    include_count: bool = Query(default=False, description="Include each segment's member count."),
    type: str | None = Query(
        default=None, description="`company` lists the segments of companies instead of people's."
    ),
    ctx: Ctx = Depends(context),
) -> Any:
    # The segments of companies are listed apart, as the Singer extractor's company_segments stream
    # asks for them (`type=company`).
    kind = "" if type == "company" else "NOT "
    rows = ctx.store.query(
        "SELECT s.data, (SELECT COUNT(*) FROM segment_members m "
        "WHERE m.workspace_id = s.workspace_id AND m.segment_id = s.id) AS count "
        f"FROM segments s WHERE s.workspace_id = ? AND {kind}{_OF_COMPANIES} ORDER BY s.created_at, s.rowid",
        (ctx.ws,),
    )
    segments = []
    for row in rows:
        segment = loads(row["data"])
        if include_count:
            segment["count"] = row["count"]
        segments.append(segment)
    return responses.json({"type": "segment.list", "segments": segments})


@router.operation("retrieveSegment", response_model=SegmentModel)
async def retrieve_segment(segment_id: str, ctx: Ctx = Depends(context)) -> Any:
    text = ctx.store.scalar(
        "SELECT data FROM segments WHERE workspace_id = ? AND id = ?", (ctx.ws, segment_id)
    )
    if text is None:
        raise not_found()
    return responses.raw(text)
