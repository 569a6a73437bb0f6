"""Routers whose routes are the operation table's entries.

`@router.operation("ShowContact")` takes method, path and summary from `contracts.operations`, so
a route cannot drift from the table. Every handler of a writing method runs in one transaction:
a request that fails leaves nothing behind.
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request

from contracts.operations import available
from contracts.operations import operation as lookup
from fake_intercom.context import Ctx
from fake_intercom.errors import IntercomError

Handler = TypeVar("Handler", bound=Callable[..., Any])

VERSION_UNAVAILABLE = "Requested resource is not available in current API version."


class IntercomRouter(APIRouter):
    def operation(
        self, operation_id: str, *same_route: str, **route_options: Any
    ) -> Callable[[Handler], Handler]:
        """Serve one operation; `same_route` names the operations of other versions that share its
        method and path (2.16 renamed a few), so one handler answers them all."""
        op = lookup(operation_id)
        versions = [op, *(lookup(other) for other in same_route)]
        if any((other.method, other.path) != (op.method, op.path) for other in versions):
            raise ValueError(f"{operation_id}: {same_route} are not on the same route")

        async def require_version(request: Request) -> None:
            # A dependency, so it runs before FastAPI validates the body: asking a version that lacks
            # the operation is answered as such even when the body is wrong too.
            if not any(available(each, request.scope["state"]["version"]) for each in versions):
                raise IntercomError(400, "intercom_version_invalid", VERSION_UNAVAILABLE)

        def register(handler: Handler) -> Handler:
            if not inspect.iscoroutinefunction(handler):
                raise TypeError(f"{handler.__name__}: Intercom routes are async def")
            writes = op.method != "GET"

            @functools.wraps(handler)
            async def endpoint(*args: Any, **kwargs: Any) -> Any:
                ctx = next(value for value in kwargs.values() if isinstance(value, Ctx))
                if not writes:
                    return await handler(*args, **kwargs)
                # The handler awaits nothing while it holds the transaction (see store.py).
                with ctx.store.atomic():
                    return await handler(*args, **kwargs)

            options: dict[str, Any] = {"summary": op.summary, "response_model_exclude_none": True}
            options.update(route_options)
            options["dependencies"] = [Depends(require_version), *options.get("dependencies", ())]
            self.add_api_route(
                op.path,
                endpoint,
                methods=[op.method],
                operation_id=op.operation_id,
                **options,
            )
            return handler

        return register
