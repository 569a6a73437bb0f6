"""The oracle the search properties compare the fake with: Intercom's rules (FIDELITY §5) applied to
plain Python records, never the SQL compiler.

Strings match ASCII case-insensitively; multi-valued fields (`many`) match when one value does and
their negations when none does; negations also match records without a value. `date` fields compare
to the second (conversations, tickets), `day` fields by UTC day (contacts); `numeric_id` fields
(conversation ids) compare `<`/`>` as numbers.
"""

from typing import Any

import httpx
from hypothesis import strategies as st

DAY = 86_400
ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
NEGATIONS = {"!=": "=", "NIN": "IN", "!~": "~"}


def fold(value: Any) -> Any:
    return value.translate(ASCII_FOLD) if isinstance(value, str) else value


def positive(kind: str, operator: str, actual: Any, value: Any) -> bool:
    """Whether one present value satisfies a non-negated operator."""
    if kind in ("string", "many"):
        actual = fold(actual)
        return {
            "=": lambda: actual == fold(value),
            "IN": lambda: actual in [fold(v) for v in value],
            "~": lambda: fold(value) in actual,
            "^": lambda: actual.startswith(fold(value)),
            "$": lambda: actual.endswith(fold(value)),
        }[operator]()
    if kind == "boolean":
        return actual in value if operator == "IN" else actual == value
    if kind == "numeric_id":
        # Numeric ids compare as numbers; every id is above "" (FIDELITY §11.4).
        if operator in ("=", "IN"):
            return actual in ([str(v) for v in value] if operator == "IN" else [str(value)])
        if value == "":
            return operator == ">"
        return int(actual) > int(value) if operator == ">" else int(actual) < int(value)
    if kind == "day":
        start = int(value) - int(value) % DAY
        return {"=": start <= actual < start + DAY, ">": actual >= start + DAY, "<": actual < start}[operator]
    # Intercom accepts numeric strings where numbers are expected.
    number = [int(v) for v in value] if operator == "IN" else int(value)
    return {
        "=": lambda: actual == number,
        "IN": lambda: actual in number,
        "<": lambda: actual < number,
        ">": lambda: actual > number,
        "<=": lambda: actual <= number,
        ">=": lambda: actual >= number,
    }[operator]()


def matches(record: dict[str, Any], query: dict[str, Any], types: dict[str, str]) -> bool:
    if "field" not in query:
        results = [matches(record, member, types) for member in query["value"]]
        return all(results) if query["operator"] == "AND" else any(results)
    field, operator, value = query["field"], query["operator"], query["value"]
    kind, actual = types[field], record.get(field)
    negated = operator in NEGATIONS
    base = NEGATIONS.get(operator, operator)
    if kind == "many":
        hit = not actual if value is None else any(positive(kind, base, item, value) for item in actual)
    else:
        hit = actual is None if value is None else actual is not None and positive(kind, base, actual, value)
    return hit != negated


def nested(leaves: st.SearchStrategy) -> st.SearchStrategy:
    """A filter, or AND/OR groups of filters and groups, two levels deep (Intercom's limit)."""

    def group(members: st.SearchStrategy) -> st.SearchStrategy:
        return st.fixed_dictionaries(
            {"operator": st.sampled_from(["AND", "OR"]), "value": st.lists(members, min_size=1, max_size=4)}
        )

    return leaves | group(leaves | group(leaves))


def client(asgi_transport, token: str) -> httpx.Client:
    return httpx.Client(
        base_url="http://fake-intercom.test",
        headers={"Authorization": f"Bearer {token}"},
        transport=asgi_transport,
    )


def search_ids(
    api: httpx.Client,
    path: str,
    list_key: str,
    query: dict[str, Any],
    per_page: int,
    sort: dict[str, str] | None = None,
) -> list[str]:
    """Every id a search finds, walking its cursor pages; every page's `total_count` is how many."""
    found, cursor, totals = [], None, set()
    while True:
        pagination = {"per_page": per_page, **({"starting_after": cursor} if cursor else {})}
        body = {"query": query, "pagination": pagination, **({"sort": sort} if sort else {})}
        response = api.post(path, json=body)
        assert response.status_code == 200, response.text
        body = response.json()
        totals.add(body["total_count"])
        found += [item["id"] for item in body[list_key]]
        cursor = (body["pages"].get("next") or {}).get("starting_after")
        if not cursor:
            assert totals == {len(found)}, (totals, len(found), query)
            return found
