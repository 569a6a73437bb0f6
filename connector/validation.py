"""Tool input checked against exactly the JSON Schema a model is shown, nested fields included.

Two things are normalised first, both ways a model legitimately says what the schema means: a null
for an optional field (what OpenAI's strict mode sends for "not given") is dropped, and an integer
where a string id is expected becomes that string (Intercom's ids are numeric strings that models
often send as numbers). Anything else that does not match is a `ToolInputError` naming the field.
"""

from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from connector.errors import ToolInputError


def normalise(schema: dict[str, Any], value: Any) -> Any:
    """`value` with optional nulls dropped and integer ids made strings, as far as `schema` reaches."""
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            candidate = normalise(option, value)
            if Draft202012Validator(option).is_valid(candidate):
                return candidate
        return value
    properties = schema.get("properties")
    if isinstance(value, dict) and properties is not None:
        required = set(schema.get("required") or ())
        return {
            key: normalise(properties[key], item) if key in properties else item
            for key, item in value.items()
            if item is not None or key in required
        }
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [normalise(schema["items"], item) for item in value]
    if schema.get("type") == "string" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def check(
    schema_validator: Draft202012Validator, value: Any, tool_name: str, accepted: Iterable[str]
) -> None:
    """Raise the `ToolInputError` of the most relevant mismatch between `value` and the schema."""
    error = best_match(schema_validator.iter_errors(value))
    if error is not None:
        raise _input_error(error, tool_name, list(accepted))


def _path(parts: Iterable[Any]) -> str:
    return ".".join(str(part) for part in parts)


def _names(values: Iterable[Any]) -> str:
    return ", ".join(str(value) for value in values)


def _input_error(error: ValidationError, tool_name: str, accepted: list[str]) -> ToolInputError:
    where = list(error.absolute_path)
    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list((error.schema.get("properties") or {}) if isinstance(error.schema, dict) else [])
        unknown = [key for key in instance if key not in allowed]
        field = _path([*where, unknown[0]]) if unknown else _path(where)
        if not where:
            listed = _names(accepted) or "no parameters"
            return ToolInputError(
                f"unknown parameter; {tool_name} accepts {listed}", field=field, tool_name=tool_name
            )
        return ToolInputError(
            f"unknown field; allowed here: {_names(allowed)}", field=field, tool_name=tool_name
        )
    if error.validator == "required" and isinstance(instance, dict):
        missing = [name for name in error.validator_value if name not in instance]
        field = _path([*where, missing[0]]) if missing else _path(where)
        what = "parameter" if not where else "field"
        return ToolInputError(f"required {what} is missing", field=field, tool_name=tool_name)
    return ToolInputError(_message(error), field=_path(where), tool_name=tool_name)


def _message(error: ValidationError) -> str:
    expected = error.validator_value
    if error.validator == "enum":
        return f"must be one of: {_names(expected)}; got {error.instance!r}"
    if error.validator == "type":
        return f"must be {_kind(expected)}, not {_json_kind(error.instance)}"
    if error.validator == "minimum":
        return f"must be at least {expected}"
    if error.validator == "maximum":
        return f"must be at most {expected}"
    if error.validator == "minLength":
        return "must not be empty"
    if error.validator == "minItems":
        return f"must hold at least {expected} item{'s' if expected != 1 else ''}"
    if error.validator == "maxItems":
        return f"must hold at most {expected} items"
    if error.validator == "anyOf":
        return "matches none of the allowed shapes: " + "; ".join(_shape(option) for option in expected)
    return error.message


_ARTICLES = {"object": "an object", "array": "an array", "integer": "an integer"}


def _kind(expected: Any) -> str:
    kinds = expected if isinstance(expected, list) else [expected]
    return " or ".join(_ARTICLES.get(kind, f"a {kind}") for kind in kinds)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shape(schema: Any) -> str:
    if not isinstance(schema, dict):
        return str(schema)
    if "properties" in schema:
        return "{" + ", ".join(schema["properties"]) + "}"
    return _kind(schema.get("type", "value"))
