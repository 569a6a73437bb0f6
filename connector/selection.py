"""Which tools to show a model: by name, by group, read-only, and ranked by relevance to a query.

The whole catalog is about 25,000 tokens of schemas (and more than OpenAI's 128 tools per request),
so a model is best shown a few: `DEFAULT_TOOLS` when nothing is asked for, otherwise what the caller
selects. Every selector narrows: `tools` and `groups` say which tools are candidates, `read_only`
keeps those that change nothing, `query` ranks them by relevance (and drops the irrelevant), `limit`
keeps the first N.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from connector.tools import ToolDef

if TYPE_CHECKING:
    from connector.catalog import Catalog

# A small set that covers the everyday support work: find and update people, read and answer
# conversations and tickets, tag and note. About 4,000 tokens in OpenAI's format.
DEFAULT_TOOLS = (
    "intercom_identify_admin",
    "intercom_search_contacts",
    "intercom_retrieve_contact",
    "intercom_create_contact",
    "intercom_update_contact",
    "intercom_create_contact_note",
    "intercom_search_conversations",
    "intercom_retrieve_conversation",
    "intercom_reply_to_conversation",
    "intercom_manage_conversation",
    "intercom_search_tickets",
    "intercom_retrieve_ticket",
    "intercom_list_tags",
    "intercom_attach_tag_to_contact",
)

# Groups of resources, besides each resource's own name (`contacts`, `tickets`...).
RESOURCE_GROUPS = {
    "people": (
        "contacts",
        "companies",
        "segments",
        "tags",
        "notes",
        "subscription_types",
        "data_attributes",
        "data_events",
        "visitors",
        "custom_object_instances",
    ),
    "inbox": (
        "conversations",
        "tickets",
        "ticket_types",
        "ticket_states",
        "ticket_type_attributes",
        "messages",
        "macros",
        "calls",
    ),
    "content": ("articles", "help_center", "internal_articles", "news", "ai_content"),
    "workspace": ("admins", "teams", "away_status_reasons", "counts", "data_export", "jobs"),
}
DEFAULT_GROUP = "default"
ALL_GROUP = "all"


def group_names(catalog: "Catalog") -> list[str]:
    """Every group `select` understands."""
    resources = sorted({tool.resource for tool in catalog})
    return [DEFAULT_GROUP, ALL_GROUP, *RESOURCE_GROUPS, *resources]


def _in_group(tool: ToolDef, group: str) -> bool:
    if group == ALL_GROUP:
        return True
    if group == DEFAULT_GROUP:
        return tool.name in DEFAULT_TOOLS
    return tool.resource == group or tool.resource in RESOURCE_GROUPS.get(group, ())


def select(
    catalog: "Catalog",
    tools: Iterable[str] | str | None = None,
    groups: Iterable[str] | str | None = None,
    read_only: bool = False,
    query: str | None = None,
    limit: int | None = None,
) -> list[ToolDef]:
    """The tools chosen by the selectors, each once; `DEFAULT_TOOLS` when none is given.

    Unknown tool names raise `ToolNotFoundError`, unknown groups `ValueError`.
    """
    names = [tools] if isinstance(tools, str) else list(tools or ())
    wanted_groups = [groups] if isinstance(groups, str) else list(groups or ())
    unknown = sorted(set(wanted_groups) - set(group_names(catalog)))
    if unknown:
        raise ValueError(f"unknown tool group {unknown[0]!r}; groups: {', '.join(group_names(catalog))}")
    if not names and not wanted_groups:
        wanted_groups = [ALL_GROUP] if query else [DEFAULT_GROUP]
    chosen: dict[str, ToolDef] = {}
    for name in names:
        tool = catalog.get(name)
        chosen.setdefault(tool.name, tool)
    for tool in catalog:
        if any(_in_group(tool, group) for group in wanted_groups):
            chosen.setdefault(tool.name, tool)
    candidates = [tool for tool in chosen.values() if tool.read_only or not read_only]
    if query:
        candidates = rank(candidates, query)
    if limit is not None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        candidates = candidates[:limit]
    return candidates


_WORD = re.compile(r"[a-z0-9]+")
# Where a query word is found, and how much that says about the tool.
_FIELD_WEIGHTS = (("name", 3.0), ("resource", 3.0), ("title", 2.0), ("aliases", 1.0), ("description", 1.0))


def _stem(word: str) -> str:
    """Plural and singular alike: contacts/contact, companies/company."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_stem(word) for word in _WORD.findall(text.lower().replace("_", " "))]


def _fields(tool: ToolDef) -> dict[str, Counter[str]]:
    texts = {
        "name": tool.name.removeprefix("intercom_"),
        "resource": tool.resource,
        "title": tool.title,
        "aliases": " ".join(tool.aliases),
        "description": tool.description,
    }
    return {field: Counter(_words(text)) for field, text in texts.items()}


def rank(tools: Sequence[ToolDef], query: str) -> list[ToolDef]:
    """`tools` that match any word of `query`, most relevant first (BM25-like: rare words and words in
    the name count most; ties keep catalog order)."""
    terms = list(dict.fromkeys(_words(query)))
    fields = [_fields(tool) for tool in tools]
    count = len(tools)
    holders = {
        term: sum(1 for tool in fields if any(term in field for field in tool.values())) for term in terms
    }
    idf = {term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in holders.items() if n}
    scored = []
    for index, (tool, tool_fields) in enumerate(zip(tools, fields, strict=True)):
        score = 0.0
        for term in idf:
            for field, weight in _FIELD_WEIGHTS:
                frequency = tool_fields[field][term]
                score += idf[term] * weight * frequency / (frequency + 1.0)
        if score > 0:
            scored.append((-score, index, tool))
    return [tool for _, _, tool in sorted(scored, key=lambda entry: entry[:2])]
