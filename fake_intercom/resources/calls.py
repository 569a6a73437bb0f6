"""Calls (Intercom Phone) and Fin Voice calls registered from external telephony.

Calls are made in Intercom's inbox, so the seed and tests create them (`create_call`). A call may
have a recording (GET .../recording redirects to a signed URL) and a transcript, a list of
`{timestamp, speaker, text}` entries served as text by GET .../transcript and as entries by
POST /calls/search.

Fin Voice: POST /fin_voice/register records an external call (provider call id + caller number)
and matches it to the newest Intercom call from that number not yet matched; a call created later
from that number matches a pending registration. Collect endpoints only see matched calls (404
otherwise, as the spec says: "not found or not matched"); they carry no Intercom-Version header.
"""

from typing import Any

from fastapi import Depends, Query
from starlette.responses import RedirectResponse, Response

from contracts.models.calls import (
    Call,
    CallList,
    CallsWithTranscripts,
    FinVoiceCall,
    ListCallsWithTranscriptsRequest,
    RegisterFinVoiceCallRequest,
)
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import (
    conflict,
    conversation_id_limit_exceeded,
    not_found,
    parameter_invalid,
    parameter_not_found,
    require,
)
from fake_intercom.pagination import check_per_page, numbered_page
from fake_intercom.resources import _conversation_store as cs
from fake_intercom.resources._app import app_number
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, Workspace, dumps, loads, table

CALLS = table(
    "calls",
    {"id": str, "conversation_id": str, "phone": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "created_at"), ("workspace_id", "conversation_id"), ("workspace_id", "phone")),
)
FIN_VOICE_CALLS = table(
    "fin_voice_calls",
    {"id": str, "external_call_id": str, "phone": str, "call_id": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "phone", "created_at"), ("workspace_id", "call_id")),
    unique_indexes=(("workspace_id", "external_call_id"),),
)

router = IntercomRouter(tags=["Calls"])

# After conversations, so the demo's calls belong to the demo's conversations.
SEED_ORDER = 150
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 25
MAX_SEARCH_IDS = 20
SUMMARY_LENGTH = 256
SOURCES = ("aws_connect", "five9", "zoom_phone")
RECORDING_HOST = "https://recordings.fake-intercom.test"


def create_call(
    store: Store,
    workspace: Workspace,
    *,
    phone: str | None,
    direction: str = "inbound",
    state: str = "completed",
    call_type: str = "phone",
    admin_id: str | None = None,
    contact_id: str | None = None,
    conversation_id: str | None = None,
    initiated_at: int | None = None,
    duration: int = 90,
    transcript: list[tuple[int, str, str]] | None = None,
    recorded: bool = False,
    fin: bool = False,
) -> dict[str, Any]:
    """A call; `transcript` is `(seconds from the start, speaker, text)` lines; `fin` marks a call
    Fin answered (its recording and transcript are Fin's)."""
    now = store.now(workspace)
    started = initiated_at if initiated_at is not None else now
    ended = started + duration if state == "completed" else None
    call = {
        "type": "call",
        "id": store.numeric_id(workspace.id, "call", base=0),
        "conversation_id": conversation_id,
        "admin_id": admin_id,
        "contact_id": contact_id,
        "state": state,
        "initiated_at": started,
        "answered_at": started + 3 if state in ("completed", "in_progress") else None,
        "ended_at": ended,
        "created_at": started,
        "updated_at": ended or started,
        "call_type": call_type,
        "direction": direction,
        "ended_reason": "answered" if state == "completed" else None,
        "phone": phone,
        "_recorded": recorded,
        "_fin": fin,
        "_transcript": [
            {"timestamp": _clock(offset), "speaker": speaker, "text": text}
            for offset, speaker, text in transcript or []
        ],
    }
    store.insert(
        "calls",
        {
            "workspace_id": workspace.id,
            "id": call["id"],
            "conversation_id": conversation_id,
            "phone": phone,
            "created_at": started,
            "data": dumps(call),
        },
    )
    if phone:
        pending = store.one(
            "SELECT data FROM fin_voice_calls WHERE workspace_id = ? AND phone = ? AND call_id IS NULL "
            "ORDER BY created_at DESC, CAST(id AS INTEGER) DESC LIMIT 1",
            (workspace.id, phone),
        )
        if pending is not None:
            _match(store, workspace.id, loads(pending["data"]), call)
    return render_call(call, "https://api.intercom.io")


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def render_call(call: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The call as the API shows it: private keys dropped, recording and transcript URLs present
    only when there is one."""
    shown = {key: value for key, value in call.items() if not key.startswith("_")}
    recording = f"{base_url}/calls/{call['id']}/recording" if call["_recorded"] else None
    transcript = f"{base_url}/calls/{call['id']}/transcript" if call["_transcript"] else None
    fin = call["_fin"]
    shown.update(
        recording_url=None if fin else recording,
        transcription_url=None if fin else transcript,
        fin_recording_url=recording if fin else None,
        fin_transcription_url=transcript if fin else None,
    )
    return shown


@router.operation("listCalls", response_model=CallList)
async def list_calls(
    page: int | None = Query(default=None, description="The page to fetch (from 1)."),
    per_page: int | None = Query(default=None, description="Calls per page: 25 unless set, at most 25."),
    ctx: Ctx = Depends(context),
) -> Any:
    result = numbered_page(
        ctx.store,
        select="data",
        from_where="calls WHERE workspace_id = ?",
        params=[ctx.ws],
        order_by="created_at DESC, CAST(id AS INTEGER) DESC",
        page=page,
        per_page=check_per_page(per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE),
        url=f"{ctx.base_url}/calls",
    )
    return responses.json(result.body([render_call(loads(row["data"]), ctx.base_url) for row in result.rows]))


@router.operation("showCall", response_model=Call)
async def show_call(call_id: str, ctx: Ctx = Depends(context)) -> Any:
    return responses.json(
        render_call(require(ctx.store.data("calls", ctx.ws, call_id), not_found, "Not Found"), ctx.base_url)
    )


@router.operation(
    "showCallRecording", responses={302: {"description": "Redirect to the signed recording URL"}}
)
async def show_call_recording(call_id: str, ctx: Ctx = Depends(context)) -> Any:
    call = require(ctx.store.data("calls", ctx.ws, call_id), not_found, "Not Found")
    if not call["_recorded"]:
        raise not_found("Recording Not Found")
    expires = ctx.now() + 300
    return RedirectResponse(f"{RECORDING_HOST}/{ctx.ws}/{call['id']}.mp3?expires={expires}", status_code=302)


@router.operation(
    "showCallTranscript",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def show_call_transcript(call_id: str, ctx: Ctx = Depends(context)) -> Any:
    call = require(ctx.store.data("calls", ctx.ws, call_id), not_found, "Not Found")
    if not call["_transcript"]:
        raise not_found("Not Found")
    text = "\n".join(
        f'[{entry["timestamp"]}] {entry["speaker"]}: "{entry["text"]}"' for entry in call["_transcript"]
    )
    return Response(text, media_type="text/plain")


@router.operation("listCallsWithTranscripts", response_model=CallsWithTranscripts)
async def list_calls_with_transcripts(
    body: ListCallsWithTranscriptsRequest, ctx: Ctx = Depends(context)
) -> Any:
    ids = [str(conversation_id) for conversation_id in body.conversation_ids or []]
    if not ids or len(ids) > MAX_SEARCH_IDS:
        raise conversation_id_limit_exceeded()
    marks = ", ".join("?" for _ in ids)
    rows = ctx.store.query(
        f"SELECT data FROM calls WHERE workspace_id = ? AND conversation_id IN ({marks}) "
        "ORDER BY created_at, CAST(id AS INTEGER)",
        [ctx.ws, *ids],
    )
    data = []
    for row in rows:
        call = loads(row["data"])
        data.append(
            {
                **render_call(call, ctx.base_url),
                "transcript": call["_transcript"],
                "transcript_status": "completed" if call["_transcript"] else None,
            }
        )
    return responses.json({"type": "list", "data": data})


# -- Fin Voice ------------------------------------------------------------------------------


def _match(store: Store, workspace_id: str, registration: dict[str, Any], call: dict[str, Any]) -> None:
    registration.update(
        intercom_call_id=call["id"],
        intercom_conversation_id=call["conversation_id"],
        status="in-progress" if call["state"] != "completed" else "resolved",
    )
    store.update(
        "fin_voice_calls",
        workspace_id,
        str(registration["id"]),
        {"call_id": call["id"], "data": dumps(registration)},
    )


def _render_fin_call(store: Store, workspace_id: str, registration: dict[str, Any]) -> dict[str, Any]:
    """The registration with what its Intercom call says now: transcript and summary."""
    call = store.data("calls", workspace_id, registration["intercom_call_id"])
    transcript = call["_transcript"] if call else []
    summary = " ".join(entry["text"] for entry in transcript)[:SUMMARY_LENGTH]
    shown = {key: value for key, value in registration.items() if not key.startswith("_")}
    shown.update(call_transcript=transcript, call_summary=summary)
    return shown


def _matched(ctx: Ctx, where: str, params: list[Any]) -> list[dict[str, Any]]:
    rows = ctx.store.query(
        f"SELECT data FROM fin_voice_calls WHERE workspace_id = ? AND call_id IS NOT NULL AND {where} "
        "ORDER BY created_at DESC, CAST(id AS INTEGER) DESC",
        [ctx.ws, *params],
    )
    return [_render_fin_call(ctx.store, ctx.ws, loads(row["data"])) for row in rows]


def _one_matched(ctx: Ctx, where: str, params: list[Any]) -> Any:
    found = _matched(ctx, where, params)
    if not found:
        raise not_found("Not Found")
    return responses.json(found[0])


@router.operation("registerFinVoiceCall", response_model=FinVoiceCall)
async def register_fin_voice_call(body: RegisterFinVoiceCallRequest, ctx: Ctx = Depends(context)) -> Any:
    for name in ("phone_number", "call_id"):
        if not getattr(body, name):
            raise parameter_not_found(f"{name} is a required parameter", field=name)
    source = body.source or "aws_connect"
    if source not in SOURCES:
        raise parameter_invalid(f"source must be one of {', '.join(SOURCES)}", field="source")
    phone, external_id = str(body.phone_number), str(body.call_id)
    duplicate = ctx.store.scalar(
        "SELECT 1 FROM fin_voice_calls WHERE workspace_id = ? AND external_call_id = ?", (ctx.ws, external_id)
    )
    if duplicate:
        raise conflict(f"A call with call_id {external_id} is already registered")
    now = ctx.now()
    registration = {
        "id": int(ctx.store.numeric_id(ctx.ws, "fin_voice_call", base=12_000)),
        "app_id": app_number(ctx.ws),
        "user_phone_number": phone,
        "status": "registered",
        "intercom_call_id": None,
        "external_call_id": external_id,
        "intercom_conversation_id": None,
        "call_transcript": [],
        "call_summary": "",
        "intent": [],
        "_source": source,
        "_data": body.data or {},
    }
    ctx.store.insert(
        "fin_voice_calls",
        {
            "workspace_id": ctx.ws,
            "id": str(registration["id"]),
            "external_call_id": external_id,
            "phone": phone,
            "call_id": None,
            "created_at": now,
            "data": dumps(registration),
        },
    )
    call = ctx.store.one(
        "SELECT data FROM calls WHERE workspace_id = ? AND phone = ? AND id NOT IN "
        "(SELECT call_id FROM fin_voice_calls WHERE workspace_id = ? AND call_id IS NOT NULL) "
        "ORDER BY created_at DESC, CAST(id AS INTEGER) DESC LIMIT 1",
        (ctx.ws, phone, ctx.ws),
    )
    if call is not None:
        _match(ctx.store, ctx.ws, registration, loads(call["data"]))
        return responses.json(_render_fin_call(ctx.store, ctx.ws, registration))
    return responses.json({key: value for key, value in registration.items() if not key.startswith("_")})


@router.operation("collectFinVoiceCallById", response_model=FinVoiceCall)
async def collect_fin_voice_call_by_id(id: int, ctx: Ctx = Depends(context)) -> Any:
    return _one_matched(ctx, "id = ?", [str(id)])


@router.operation("collectFinVoiceCallByExternalId", response_model=FinVoiceCall)
async def collect_fin_voice_call_by_external_id(external_id: str, ctx: Ctx = Depends(context)) -> Any:
    return _one_matched(ctx, "external_call_id = ?", [external_id])


@router.operation("collectFinVoiceCallByPhoneNumber", response_model=FinVoiceCall)
async def collect_fin_voice_call_by_phone_number(phone_number: str, ctx: Ctx = Depends(context)) -> Any:
    return _one_matched(ctx, "phone = ?", [phone_number])


@router.operation("collectFinVoiceCallsByConversationId", response_model=list[FinVoiceCall])
async def collect_fin_voice_calls_by_conversation_id(
    conversation_id: str, ctx: Ctx = Depends(context)
) -> Any:
    return responses.json(
        _matched(
            ctx,
            "call_id IN (SELECT id FROM calls WHERE workspace_id = ? AND conversation_id = ?)",
            [ctx.ws, conversation_id],
        )
    )


TRANSCRIPTS = [
    [
        (3, "Teammate", "Hello, thanks for calling. How can I help today?"),
        (9, "User", "I need help recovering access to my account."),
        (15, "Teammate", "I can help with that. I'll send you a reset link now."),
        (24, "User", "Great, thanks."),
    ],
    [
        (2, "Teammate", "Hi, you're through to billing."),
        (7, "User", "I was charged twice this month."),
        (14, "Teammate", "I can see the duplicate charge; I've refunded it."),
    ],
]


def seed_demo(seeder: Any) -> None:
    """Eight calls; the first few belong to the first conversations, with those conversations' contact."""
    store, ws, rng = seeder.store, seeder.workspace, seeder.rng
    conversation_ids = [
        row["id"]
        for row in store.query(
            "SELECT id FROM conversations WHERE workspace_id = ? ORDER BY rowid LIMIT 10", (ws.id,)
        )
    ]
    contacts = {contact["id"]: contact for contact in seeder.contacts}
    for index, contact in enumerate(rng.sample(seeder.contacts, 8)):
        conversation_id = conversation_ids[index] if index < len(conversation_ids) else None
        if conversation_id is not None:
            participants = cs.contact_ids(store, ws.id, conversation_id)
            contact = contacts.get(participants[0], contact) if participants else contact
        create_call(
            store,
            ws,
            phone=contact.get("phone"),
            direction=rng.choice(["inbound", "outbound"]),
            admin_id=rng.choice(seeder.admin_ids),
            contact_id=contact["id"],
            conversation_id=conversation_id,
            initiated_at=seeder.ago(30),
            duration=rng.randint(40, 900),
            transcript=TRANSCRIPTS[index % len(TRANSCRIPTS)] if index % 3 != 2 else None,
            recorded=index % 2 == 0,
            fin=index == 5,
        )
