"""Results sized for a model: keep only the fields asked for, and fit a character budget by trimming
lists from the end, always saying what was left out and how to get it (never silently)."""

import json
from typing import Any

from connector.tools import ToolDef

# Kept whatever `fields` says: a model needs them to act on what it reads.
ALWAYS_KEPT = ("type", "id")
# The envelope around `data` costs about this much; the budget is for the whole result text.
ENVELOPE_ALLOWANCE = 300


def _list_key(data: Any) -> str | None:
    """The key of a list answer's items (`data`, `conversations`, `contacts`...), if `data` is one."""
    if not isinstance(data, dict):
        return None
    lists = [key for key, value in data.items() if isinstance(value, list) and key != "errors"]
    if "data" in lists:
        return "data"
    return lists[0] if len(lists) == 1 else None


def _pick(item: Any, paths: list[list[str]]) -> Any:
    if not isinstance(item, dict):
        return item
    picked: dict[str, Any] = {key: item[key] for key in ALWAYS_KEPT if key in item}
    for path in paths:
        source: Any = item
        for part in path:
            source = source.get(part) if isinstance(source, dict) else None
        if source is None and not (isinstance(item, dict) and path[0] in item):
            continue
        target = picked
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = source
    return picked


def select_fields(data: Any, fields: list[str]) -> Any:
    """Each item of a list answer (or the object itself) reduced to `fields` (dotted paths such as
    `custom_attributes.plan`), plus `type` and `id`; the list's own keys (`pages`, `total_count`) stay."""
    paths = [field.split(".") for field in fields]
    key = _list_key(data)
    if key is not None:
        return {**data, key: [_pick(item, paths) for item in data[key]]}
    return _pick(data, paths)


def _size(data: Any) -> int:
    return len(json.dumps(data, ensure_ascii=False))


def _hint(tool: ToolDef, kept: int, total: int, data: dict[str, Any]) -> str:
    names = {param.name for param in tool.params}
    shown = f"showing {kept} of the {total} items of this page"
    if "pagination" in names:
        return (
            f"truncated; {shown}. Call again with pagination.per_page={max(kept, 1)} and the same "
            "pagination.starting_after to read this page in smaller pieces, then continue with "
            "pages.next.starting_after."
        )
    if "starting_after" in names:
        return (
            f"truncated; {shown}. Call again with per_page={max(kept, 1)} and the same starting_after "
            "to read this page in smaller pieces, then continue with starting_after=pages.next.starting_after."
        )
    if "per_page" in names:
        return f"truncated; {shown}. Call again with a smaller per_page (at most {max(kept, 1)}) to read every item."
    return f"truncated; {shown}. The rest did not fit: narrow the request (a search or a retrieve by id)."


def fit(data: Any, tool: ToolDef, max_chars: int) -> tuple[Any, dict[str, Any] | None]:
    """`data` within `max_chars` characters of JSON (the budget of the whole result), and what was cut.

    A list answer loses items from the end; anything else that is too large loses its longest nested
    list, then is replaced by a notice. The notice says how many items were kept and how to get the rest.
    """
    budget = max(max_chars - ENVELOPE_ALLOWANCE, 0)
    if _size(data) <= budget:
        return data, None
    key = _list_key(data)
    if key is not None:
        items = data[key]
        low, high = 0, len(items)
        while low < high:  # the most items that fit
            middle = (low + high + 1) // 2
            if _size({**data, key: items[:middle]}) <= budget:
                low = middle
            else:
                high = middle - 1
        trimmed = {**data, key: items[:low]}
        if _size(trimmed) <= budget:
            note = {"list": key, "kept": low, "total": len(items), "hint": _hint(tool, low, len(items), data)}
            return trimmed, note
    characters = _size(data)
    note = {
        "kept": 0,
        "characters": characters,
        "hint": f"truncated; the answer has {characters} characters, more than max_result_chars={max_chars}. "
        "Ask for fewer fields, or read it in smaller pieces.",
    }
    return None, note
