"""Hypothesis strategies for the values a JSON Schema accepts.

One builder for both sides of the project: `fake_intercom.strategies` feeds it the contracts models'
schemas (pydantic's, with `$defs`), `connector.testing` the tool schemas a model is shown. It covers
what those schemas use: `$ref`, `anyOf`/`oneOf`/`allOf`, `enum`/`const`, type lists, string lengths,
patterns and the `email`/`uri`/`date-time` formats, numeric bounds, array bounds and objects with
`required`, `properties` and `additionalProperties`. Values stay small (short strings, a few items),
so that examples are cheap to send and easy to read once shrunk.

(hypothesis-jsonschema did this job once; its last release no longer runs on current hypothesis.)
"""

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from hypothesis import strategies as st

MAX_TEXT = 24
MAX_ITEMS = 3
MAX_KEYS = 3
INT_BOUNDS = (-(2**31), 2**31)
"""Integers without bounds of their own stay in 32 bits: timestamps, counts and ids are."""

json_scalars: st.SearchStrategy[Any] = (
    st.none()
    | st.booleans()
    | st.integers(*INT_BOUNDS)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
any_json: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=MAX_ITEMS) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)

_urls = st.builds(
    "https://{}/{}".format,
    st.from_regex(r"[a-z][a-z0-9]{0,10}\.(com|io|org)", fullmatch=True),
    st.from_regex(r"[a-z0-9_-]{0,12}", fullmatch=True),
)
FORMATS: dict[str, st.SearchStrategy[str]] = {
    "email": st.emails(),
    "uri": _urls,
    "url": _urls,
    "date-time": st.datetimes(timezones=st.just(UTC)).map(
        lambda moment: moment.isoformat().replace("+00:00", "Z")
    ),
}


def from_schema(
    schema: Mapping[str, Any],
    overrides: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[Any]:
    """Values valid against `schema`. `overrides` replaces the strategies of the root object's
    properties (and makes those properties always present)."""
    return _Builder(schema).build(schema, dict(overrides or {}))


class _Builder:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.definitions: Mapping[str, Any] = root.get("$defs") or root.get("definitions") or {}

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        reference = schema.get("$ref")
        if reference is None:
            return schema
        name = str(reference).rsplit("/", 1)[-1]
        if name not in self.definitions:
            raise ValueError(f"cannot resolve {reference!r}: only local $defs are supported")
        # Keywords beside a $ref (a description) add nothing to what is generated.
        return self.resolve(self.definitions[name])

    def build(
        self, schema: Mapping[str, Any], overrides: dict[str, st.SearchStrategy[Any]] | None = None
    ) -> st.SearchStrategy[Any]:
        schema = self.resolve(schema)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(list(schema["enum"]))
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                base = {key: value for key, value in schema.items() if key != keyword}
                return st.one_of(
                    [self.build({**base, **self.resolve(option)}, overrides) for option in schema[keyword]]
                )
        if "allOf" in schema:
            merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
            for part in schema["allOf"]:
                merged.update(self.resolve(part))
            return self.build(merged, overrides)
        kind = schema.get("type")
        if isinstance(kind, list):
            return st.one_of([self.build({**schema, "type": each}, overrides) for each in kind])
        if kind == "object" or "properties" in schema:
            return self.object(schema, overrides or {})
        builder = _SCALARS.get(kind) if isinstance(kind, str) else None
        if builder is not None:
            return builder(self, schema)
        return any_json

    def object(
        self, schema: Mapping[str, Any], overrides: dict[str, st.SearchStrategy[Any]]
    ) -> st.SearchStrategy[dict[str, Any]]:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        unknown = set(overrides) - set(properties)
        if unknown and not schema.get("additionalProperties"):
            raise ValueError(f"no such properties: {', '.join(sorted(unknown))}")
        required = set(schema.get("required") or ()) | set(overrides)
        fixed = {
            name: overrides[name] if name in overrides else self.build(sub)
            for name, sub in properties.items()
            if name in required
        }
        fixed.update({name: overrides[name] for name in unknown})
        optional = {name: self.build(sub) for name, sub in properties.items() if name not in required}
        declared = st.fixed_dictionaries(fixed, optional=optional)
        extra = schema.get("additionalProperties", not properties)
        if not properties and extra is not False:
            values = any_json if extra is True else self.build(extra)
            return st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=MAX_KEYS)
        return declared

    def string(self, schema: Mapping[str, Any]) -> st.SearchStrategy[str]:
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", max(low, MAX_TEXT)))
        if "pattern" in schema:
            return st.from_regex(schema["pattern"]).filter(lambda text: low <= len(text) <= high)
        known = FORMATS.get(str(schema.get("format")))
        if known is not None:
            return known.filter(lambda text: low <= len(text) <= high)
        return st.text(min_size=low, max_size=min(high, max(low, MAX_TEXT)))

    def integer(self, schema: Mapping[str, Any]) -> st.SearchStrategy[int]:
        low = schema.get("minimum", INT_BOUNDS[0] if "maximum" not in schema else None)
        high = schema.get("maximum", INT_BOUNDS[1] if "minimum" not in schema else None)
        if "exclusiveMinimum" in schema:
            low = int(schema["exclusiveMinimum"]) + 1
        if "exclusiveMaximum" in schema:
            high = int(schema["exclusiveMaximum"]) - 1
        if low is not None and high is None:
            high = max(int(low), 0) + INT_BOUNDS[1]
        if high is not None and low is None:
            low = min(int(high), 0) + INT_BOUNDS[0]
        return st.integers(low, high)

    def number(self, schema: Mapping[str, Any]) -> st.SearchStrategy[float]:
        return st.floats(
            min_value=schema.get("minimum", schema.get("exclusiveMinimum")),
            max_value=schema.get("maximum", schema.get("exclusiveMaximum")),
            exclude_min="exclusiveMinimum" in schema,
            exclude_max="exclusiveMaximum" in schema,
            allow_nan=False,
            allow_infinity=False,
        )

    def array(self, schema: Mapping[str, Any]) -> st.SearchStrategy[list[Any]]:
        low = int(schema.get("minItems", 0))
        high = min(int(schema.get("maxItems", low + MAX_ITEMS)), low + MAX_ITEMS)
        items = self.build(schema["items"]) if isinstance(schema.get("items"), Mapping) else any_json
        if schema.get("uniqueItems"):
            return st.lists(items, min_size=low, max_size=high, unique_by=repr)
        return st.lists(items, min_size=low, max_size=high)

    def boolean(self, schema: Mapping[str, Any]) -> st.SearchStrategy[bool]:
        return st.booleans()

    def null(self, schema: Mapping[str, Any]) -> st.SearchStrategy[None]:
        return st.none()


_SCALARS = {
    "string": _Builder.string,
    "integer": _Builder.integer,
    "number": _Builder.number,
    "array": _Builder.array,
    "boolean": _Builder.boolean,
    "null": _Builder.null,
}
