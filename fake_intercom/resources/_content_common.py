"""What the knowledge-base resources share: HTML bodies, words for search and Fin, content tags.

Articles, internal articles and content snippets are tagged through one link table (2.16's
attach/detach endpoints), kept apart from the contact and company taggings of tags.py. A tag
deleted through the Tags API simply stops showing: links are joined to the tags table on read.
"""

import html
import re
from typing import Any

from fake_intercom.context import Ctx
from fake_intercom.errors import parameter_invalid, require, tag_not_found
from fake_intercom.resources.admins import find_admin
from fake_intercom.resources.tags import find_tag
from fake_intercom.store import Store, loads, table
from fake_intercom.text import is_html, paragraphs

CONTENT_TAGS = table(
    "content_tags",
    {"kind": str, "owner_id": str, "tag_id": str, "applied_at": int, "applied_by": str},
    pk=("workspace_id", "kind", "owner_id", "tag_id"),
    indexes=(("workspace_id", "tag_id"),),
)

_TAG = re.compile(r"<[^>]+>")
_BARE_PARAGRAPH = re.compile(r"<p>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|div|br)\s*>|<br\s*/?>", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Words too common to say anything about what a question or an article is about.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "can't",
        "cannot",
        "don't",
        "i'm",
        "get",
        "got",
        "want",
        "need",
        "please",
        "hi",
        "hello",
        "thanks",
        "thank",
    ]
)


def article_html(text: str) -> str:
    """Intercom stores help-center bodies as HTML whose paragraphs carry `class="no-margin"`."""
    if not text:
        return ""
    if not is_html(text):
        return paragraphs(text, '<p class="no-margin">')
    return _BARE_PARAGRAPH.sub('<p class="no-margin">', text)


def plain_text(body: str | None) -> str:
    """The readable text of an HTML body, one line per block."""
    if not body:
        return ""
    text = _BLOCK_END.sub("\n", body)
    text = html.unescape(_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def markdown_of(body: str | None) -> str:
    """The `body_markdown` 2.16 serves next to `body`: paragraphs of plain text."""
    text = plain_text(body)
    return "\n\n".join(text.splitlines()) + "\n" if text else ""


def words(text: str) -> list[str]:
    """Lower-case words of plain text or HTML, without stopwords."""
    return [word for word in _WORD.findall(plain_text(text).lower()) if word not in STOPWORDS]


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE.split(" ".join(plain_text(text).splitlines())) if part.strip()]


def admin_id_param(ctx: Ctx, admin_id: int | str | None, field: str) -> int:
    """An admin id of a request, as the integer the content objects carry."""
    if admin_id is None or find_admin(ctx.store, ctx.ws, str(admin_id)) is None:
        raise parameter_invalid(f"{field} must be the id of an admin", field=field)
    return int(admin_id)


# -- tags on content ----------------------------------------------------------------------------


def content_tags(store: Store, workspace_id: str, kind: str, owner_id: str) -> dict[str, Any]:
    """The `tag.list` a content object embeds."""
    rows = store.query(
        "SELECT t.data AS data FROM content_tags ct JOIN tags t "
        "ON t.workspace_id = ct.workspace_id AND t.id = ct.tag_id "
        "WHERE ct.workspace_id = ? AND ct.kind = ? AND ct.owner_id = ? ORDER BY ct.applied_at, ct.tag_id",
        (workspace_id, kind, str(owner_id)),
    )
    return {"type": "tag.list", "tags": [loads(row["data"]) for row in rows]}


def tagged_ids(store: Store, workspace_id: str, kind: str, tag_ids: list[str]) -> set[str]:
    rows = store.query(
        f"SELECT owner_id FROM content_tags WHERE workspace_id = ? AND kind = ? "
        f"AND tag_id IN ({', '.join('?' for _ in tag_ids)})",
        (workspace_id, kind, *tag_ids),
    )
    return {row["owner_id"] for row in rows}


def attach_tag(ctx: Ctx, kind: str, owner_id: str, tag_id: str | int, admin_id: str | None) -> dict[str, Any]:
    """Apply a tag once; applying it again answers the first application."""
    tag = require(find_tag(ctx.store, ctx.ws, str(tag_id)), tag_not_found)
    applied_by = str(admin_id) if admin_id else ctx.workspace.owner_admin_id or ""
    ctx.store.execute(
        "INSERT OR IGNORE INTO content_tags (workspace_id, kind, owner_id, tag_id, applied_at, applied_by) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (ctx.ws, kind, str(owner_id), tag["id"], ctx.now(), applied_by),
    )
    link = ctx.store.one(
        "SELECT applied_at, applied_by FROM content_tags "
        "WHERE workspace_id = ? AND kind = ? AND owner_id = ? AND tag_id = ?",
        (ctx.ws, kind, str(owner_id), tag["id"]),
    )
    assert link is not None
    return {
        **tag,
        "applied_at": link["applied_at"],
        "applied_by": {"type": "admin", "id": link["applied_by"]},
    }


def detach_tag(ctx: Ctx, kind: str, owner_id: str, tag_id: str) -> dict[str, Any]:
    tag = require(find_tag(ctx.store, ctx.ws, str(tag_id)), tag_not_found)
    ctx.store.execute(
        "DELETE FROM content_tags WHERE workspace_id = ? AND kind = ? AND owner_id = ? AND tag_id = ?",
        (ctx.ws, kind, str(owner_id), tag["id"]),
    )
    return {**tag, "applied_at": None, "applied_by": None}


def drop_tags(store: Store, workspace_id: str, kind: str, owner_id: str) -> None:
    store.execute(
        "DELETE FROM content_tags WHERE workspace_id = ? AND kind = ? AND owner_id = ?",
        (workspace_id, kind, str(owner_id)),
    )
