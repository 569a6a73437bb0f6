"""The Fin Agent API, with a deterministic sandbox Fin that answers from the workspace's content.

Fin reads the user's message and picks the published article, Fin-available external page or
snippet sharing the most words with it (title words count double; ties go to the most recently
updated). It answers with that content's first sentences and cites it. When nothing matches it
says so and offers a teammate; a "yes" (or any request for a human) escalates. A thankful reply
resolves the conversation, completes it and requests a CSAT rating.

Intercom answers start/reply with `thinking` and delivers Fin's work as events (`fin_replied`,
`fin_status_updated`, `csat_requested`) over webhooks or SSE. The sandbox Fin works at once, so
the response carries the status Fin has reached, and each event is recorded as a notification
under its event name (and kept on the conversation) for webhooks to deliver.
"""

import html
from typing import Any

from fastapi import Depends

from contracts.models.fin_agent import FinCsatRequest, FinCsatResponse, FinRequest, FinResponse
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import not_found, parameter_invalid
from fake_intercom.notifications import notify
from fake_intercom.resources._content_common import plain_text, sentences, words
from fake_intercom.resources.ai_content import fin_pages
from fake_intercom.resources.articles import published_articles
from fake_intercom.resources.content_snippets import blocks_text
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import Store, dumps, loads, table

FIN_CONVERSATIONS = table(
    "fin_conversations", {"id": str, "user_id": str, "status": str, "created_at": int, "data": str}
)

RATINGS = ("terrible", "bad", "ok", "good", "amazing")
CSAT_OPTIONS = [
    {"key": "terrible", "emoji": "😠", "label": "Terrible"},
    {"key": "bad", "emoji": "🙁", "label": "Bad"},
    {"key": "ok", "emoji": "😐", "label": "OK"},
    {"key": "good", "emoji": "😃", "label": "Great"},
    {"key": "amazing", "emoji": "🤩", "label": "Amazing"},
]
HUMAN_WORDS = frozenset(
    {"human", "person", "agent", "teammate", "representative", "someone", "somebody", "operator"}
)
YES_WORDS = frozenset({"yes", "yeah", "yep", "sure", "ok", "okay", "please"})
THANKS_WORDS = frozenset(
    {"thanks", "thank", "thx", "solved", "perfect", "great", "helped", "works", "worked"}
)
NO_ANSWER = (
    "<p>Sorry, I couldn't find an answer to that in our help content.</p>"
    "<p>Would you like me to connect you with someone from the team?</p>"
)
ANSWER_SENTENCES = 2

router = IntercomRouter(tags=["Fin Agent"])


# -- Fin's knowledge ----------------------------------------------------------------------------


def knowledge(store: Store, workspace_id: str) -> list[dict[str, Any]]:
    """Everything Fin may answer from, most recently updated first within each kind."""
    sources = [
        {
            "title": a["title"] or "",
            "text": plain_text(a["body"]),
            "url": a["url"],
            "kind": "article",
            "id": a["id"],
        }
        for a in published_articles(store, workspace_id)
    ]
    sources += [
        {
            "title": p["title"],
            "text": plain_text(p["html"]),
            "url": p["url"],
            "kind": "external_page",
            "id": p["id"],
        }
        for p in fin_pages(store, workspace_id)
    ]
    rows = store.query(
        "SELECT data FROM content_snippets WHERE workspace_id = ? ORDER BY updated_at DESC", (workspace_id,)
    )
    for row in rows:
        snippet = loads(row["data"])
        if snippet["ai_chatbot_availability"]:
            sources.append(
                {
                    "title": snippet["title"],
                    "text": " ".join(blocks_text(snippet["json_blocks"])),
                    "url": None,
                    "kind": "content_snippet",
                    "id": snippet["id"],
                }
            )
    return sources


def best_source(store: Store, workspace_id: str, question: str) -> dict[str, Any] | None:
    asked = set(words(question))
    best, best_score = None, 0
    for source in knowledge(store, workspace_id):
        title_words = set(words(source["title"]))
        score = 2 * len(asked & title_words) + len(asked & (set(words(source["text"])) - title_words))
        if score > best_score:
            best, best_score = source, score
    return best


def answer_html(source: dict[str, Any]) -> str:
    summary = " ".join(sentences(source["text"])[:ANSWER_SENTENCES]) or source["title"]
    answer = f"<p>{html.escape(summary)}</p>"
    if source["url"]:
        answer += f'<p>Source: <a href="{html.escape(source["url"])}">{html.escape(source["title"])}</a></p>'
    else:
        answer += f"<p>Source: {html.escape(source['title'])}</p>"
    return answer


# -- conversations ------------------------------------------------------------------------------


def find_conversation(store: Store, workspace_id: str, conversation_id: str) -> dict[str, Any] | None:
    return store.data("fin_conversations", workspace_id, conversation_id)


class _Turn:
    """One request's work on a Fin conversation: the events it emits, then one save."""

    def __init__(self, ctx: Ctx, conversation: dict[str, Any]) -> None:
        self.ctx = ctx
        self.conversation = conversation
        self.stamp = responses.iso(ctx.now(), millis=True)
        # Escalation and resolution go on to `complete` at once; the response names the outcome.
        self.outcome: str | None = None

    def emit(self, event: dict[str, Any]) -> None:
        event = {
            "event_name": event.pop("event_name"),
            "conversation_id": self.conversation["conversation_id"],
            "user_id": self.conversation["user_id"],
            **event,
            "created_at_ms": self.stamp,
        }
        self.conversation["events"].append(event)
        notify(self.ctx.store, self.ctx.workspace, event["event_name"], event)

    def status(self, status: str, reason: str | None = None) -> None:
        self.conversation["status"] = status
        self.outcome = self.outcome or status
        event: dict[str, Any] = {"event_name": "fin_status_updated", "status": status}
        if reason:
            event["reason"] = reason
        self.emit(event)

    def reply(self, body: str) -> None:
        number = self.ctx.store.next_number(self.ctx.ws, "fin_message")
        message = {"id": str(98_000 + number), "author": "fin", "body": body, "timestamp_ms": self.stamp}
        self.conversation["messages"].append(message)
        self.conversation["status"] = "awaiting_user_reply"
        self.emit({"event_name": "fin_replied", "message": message, "status": "awaiting_user_reply"})

    def escalate(self, reason: str) -> None:
        self.status("escalated", reason)
        self.status("complete")

    def resolve(self) -> None:
        self.status("resolved")
        self.status("complete")
        self.conversation["csat"] = {"requested": True, "rating": None, "remark": None}
        self.emit({"event_name": "csat_requested", "csat": {"options": CSAT_OPTIONS}})

    def hear(self, text: str) -> None:
        """Fin's response to one user message."""
        said = set(words(text)) | {w for w in text.lower().replace("!", " ").replace(".", " ").split()}
        conversation = self.conversation
        if said & HUMAN_WORDS or (conversation.get("offered_escalation") and said & YES_WORDS):
            self.escalate("Escalation requested by user")
            return
        answered = any(message["author"] == "fin" for message in conversation["messages"])
        if answered and not conversation.get("offered_escalation") and said & THANKS_WORDS:
            self.resolve()
            return
        source = best_source(self.ctx.store, self.ctx.ws, text)
        if source is None:
            conversation["offered_escalation"] = True
            self.reply(NO_ANSWER)
            return
        conversation["offered_escalation"] = False
        conversation["sources"].append({"type": source["kind"], "id": source["id"]})
        self.reply(answer_html(source))

    def save(self, *, insert: bool) -> None:
        row = {"status": self.conversation["status"], "data": dumps(self.conversation)}
        if insert:
            self.ctx.store.insert(
                "fin_conversations",
                {
                    "workspace_id": self.ctx.ws,
                    "id": self.conversation["conversation_id"],
                    "user_id": self.conversation["user_id"],
                    "created_at": self.ctx.now(),
                    **row,
                },
            )
        else:
            self.ctx.store.update("fin_conversations", self.ctx.ws, self.conversation["conversation_id"], row)

    def response(self) -> Any:
        return responses.json(
            {
                "conversation_id": self.conversation["conversation_id"],
                "user_id": self.conversation["user_id"],
                "status": self.outcome or self.conversation["status"],
                "created_at_ms": self.stamp,
            }
        )


def _validate(body: FinRequest) -> tuple[str, str, str]:
    if body.conversation_id in (None, ""):
        raise parameter_invalid("conversation_id is required")
    if body.message is None or not (body.message.body or "").strip():
        raise parameter_invalid("message is required")
    if body.user is None or body.user.id in (None, ""):
        raise parameter_invalid("user id is required")
    return str(body.conversation_id), str(body.user.id), body.message.body or ""


def _user_message(body: FinRequest, text: str, stamp: str) -> dict[str, Any]:
    assert body.message is not None
    return {"author": "user", "body": text, "timestamp": body.message.timestamp or stamp}


@router.operation("startFinConversation", response_model=FinResponse)
async def start_fin_conversation(body: FinRequest, ctx: Ctx = Depends(context)) -> Any:
    conversation_id, user_id, text = _validate(body)
    if find_conversation(ctx.store, ctx.ws, conversation_id) is not None:
        raise parameter_invalid("A Fin conversation with this conversation_id already exists")
    metadata = body.conversation_metadata
    conversation: dict[str, Any] = {
        "conversation_id": conversation_id,
        "user_id": user_id,
        "user": body.user.model_dump(exclude_none=True) if body.user else {},
        "attributes": (metadata.attributes if metadata else None) or {},
        "history": [m.model_dump(exclude_none=True) for m in (metadata.history if metadata else None) or []],
        "status": "thinking",
        "messages": [],
        "events": [],
        "sources": [],
        "csat": None,
    }
    turn = _Turn(ctx, conversation)
    conversation["messages"].append(_user_message(body, text, turn.stamp))
    turn.hear(text)
    turn.save(insert=True)
    return turn.response()


@router.operation("replyToFin", response_model=FinResponse)
async def reply_to_fin(body: FinRequest, ctx: Ctx = Depends(context)) -> Any:
    conversation_id, _, text = _validate(body)
    conversation = find_conversation(ctx.store, ctx.ws, conversation_id)
    if conversation is None:
        raise not_found("Conversation not found")
    turn = _Turn(ctx, conversation)
    message = _user_message(body, text, turn.stamp)
    last_user = next((m for m in reversed(conversation["messages"]) if m["author"] == "user"), None)
    if last_user is not None and (last_user["body"], last_user["timestamp"]) == (text, message["timestamp"]):
        # The same message sent again (a client retry): Fin has already answered it.
        return turn.response()
    if conversation["status"] != "awaiting_user_reply":
        raise parameter_invalid(f"Fin is not awaiting a reply: the conversation is {conversation['status']}")
    conversation["messages"].append(message)
    turn.hear(text)
    turn.save(insert=False)
    return turn.response()


def _csat_error(field: str, message: str) -> Any:
    return responses.json({"errors": {field: message}}, status=422)


@router.operation("submitFinCsat", response_model=FinCsatResponse)
async def submit_fin_csat(body: FinCsatRequest, ctx: Ctx = Depends(context)) -> Any:
    # These 422 bodies are `{errors: {field: message}}`, not an error.list (FIDELITY §3).
    conversation = find_conversation(ctx.store, ctx.ws, str(body.conversation_id or ""))
    if conversation is None:
        return _csat_error(
            "external_conversation_id", "Conversation not found for the given external_conversation_id"
        )
    if body.rating not in RATINGS:
        return _csat_error("rating", "Rating isn't an option")
    csat = conversation.get("csat")
    if not csat or not csat.get("requested"):
        return _csat_error("base", "No rating survey found for this conversation")
    if csat["remark"] is not None and (
        body.rating != csat["rating"] or body.remark not in (None, csat["remark"])
    ):
        return _csat_error(
            "base", "This rating can no longer be changed because a remark has already been submitted"
        )
    csat["rating"] = body.rating
    if body.remark:
        csat["remark"] = body.remark
    ctx.store.update(
        "fin_conversations", ctx.ws, conversation["conversation_id"], {"data": dumps(conversation)}
    )
    return responses.json(
        {"conversation_id": conversation["conversation_id"], "rating": body.rating, "status": "rated"}
    )
