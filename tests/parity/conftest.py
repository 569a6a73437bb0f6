from collections.abc import Iterator

import pytest

from fake_intercom import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One in-process sandbox; every recording and every replay gets a fresh workspace of it."""
    with Sandbox.in_process() as sandbox:
        yield sandbox
