"""Contract checks: what any Intercom (the live API or the fake) must do, written once.

A check is a function of an `httpx.Client` already bound to a base URL and a token. It makes
requests and asserts Intercom's shapes with the models of `contracts.models`. Checks that write
clean up after themselves, so they can also run against a real workspace.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from contracts.models.common import ErrorList

Model = TypeVar("Model", bound=BaseModel)
CheckFunction = Callable[[httpx.Client], None]


@dataclass(frozen=True)
class Check:
    resource: str
    name: str
    run: CheckFunction
    writes: bool

    def __str__(self) -> str:
        return f"{self.resource}.{self.name}"


CHECKS: list[Check] = []


def check(*, writes: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        resource = function.__module__.rsplit(".", 1)[-1]
        CHECKS.append(Check(resource, function.__name__, function, writes))
        return function

    return register


def all_checks() -> list[Check]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return sorted(CHECKS, key=str)


def parse(model: type[Model], response: httpx.Response, status: int = 200) -> Model:
    """Assert the status and parse the body as `model`."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: "
        f"expected {status}, got {response.status_code}: {response.text[:500]}"
    )
    return model.model_validate(response.json())


def expect_error(response: httpx.Response, status: int, code: str | None = None) -> ErrorList:
    """Assert an Intercom error.list with this status (and code)."""
    errors = parse(ErrorList, response, status)
    if code is not None:
        assert errors.errors[0].code == code, f"expected {code}, got {errors.errors[0].code}: {response.text}"
    return errors


def body(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: "
        f"expected {status}, got {response.status_code}: {response.text[:500]}"
    )
    return response.json()
