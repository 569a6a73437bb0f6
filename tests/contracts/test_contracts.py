"""The contract suite: every check of `contracts.checks` against every target."""

import pytest

from contracts.checks import Check, all_checks


@pytest.mark.parametrize("contract", all_checks(), ids=str)
def test_contract(contract: Check, target) -> None:
    contract.run(target.client)
