"""Framework adapters built from the same schemas: LangChain tools and OpenAI Agents SDK function tools.

Each tool runs through `execute_tool(raise_on_error=False)` and returns the result envelope as JSON
text, so the agent reads failures instead of crashing. Needs `pip install 'fake-intercom[agents]'`.
"""

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from connector.schemas import parameters_schema, strict_exception, strict_schema
from connector.selection import select

if TYPE_CHECKING:
    from connector.actions import Actions, AsyncActions


def _selected(
    actions: "Actions | AsyncActions", tools: Iterable[str] | str | None, **selectors: Any
) -> list[Any]:
    chosen = select(actions.catalog, tools, **selectors)
    actions._offered = [tool.name for tool in chosen]
    return chosen


def langchain_tools(
    actions: "Actions",
    tools: Iterable[str] | str | None = None,
    identifier: str | None = None,
    **selectors: Any,
) -> list[Any]:
    """LangChain `StructuredTool`s (langchain-core) for the selected tools."""
    from langchain_core.tools import StructuredTool

    def runner(name: str) -> Any:
        def run(**tool_input: Any) -> str:
            outcome = actions.execute_tool(
                tool_input=tool_input, tool_name=name, identifier=identifier, raise_on_error=False
            )
            return json.dumps(outcome.to_dict())

        return run

    return [
        StructuredTool.from_function(
            func=runner(tool.name),
            name=tool.name,
            description=tool.description,
            args_schema=parameters_schema(tool),
            infer_schema=False,
        )
        for tool in _selected(actions, tools, **selectors)
    ]


def openai_agents_tools(
    actions: "AsyncActions",
    tools: Iterable[str] | str | None = None,
    identifier: str | None = None,
    strict: bool = True,
    **selectors: Any,
) -> list[Any]:
    """OpenAI Agents SDK `FunctionTool`s for the selected tools (strict where the schema allows)."""
    from agents import FunctionTool

    def runner(name: str) -> Any:
        async def run(context: Any, arguments: str) -> str:
            outcome = await actions.execute_tool(
                tool_input=json.loads(arguments or "{}"),
                tool_name=name,
                identifier=identifier,
                raise_on_error=False,
            )
            return json.dumps(outcome.to_dict())

        return run

    built = []
    for tool in _selected(actions, tools, **selectors):
        is_strict = strict and strict_exception(tool) is None
        schema = parameters_schema(tool)
        built.append(
            FunctionTool(
                name=tool.name,
                description=tool.description,
                params_json_schema=strict_schema(schema) if is_strict else schema,
                on_invoke_tool=runner(tool.name),
                strict_json_schema=is_strict,
            )
        )
    return built
