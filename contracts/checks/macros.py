import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.macros import Macro, MacroList

V216 = {"Intercom-Version": "2.16"}


@check()
def macros_are_listed_and_found(api: httpx.Client) -> None:
    listed = parse(MacroList, api.get("/macros", params={"per_page": 5}, headers=V216))
    for macro in listed.data[:2]:
        assert parse(Macro, api.get(f"/macros/{macro.id}", headers=V216)).name == macro.name
    expect_error(api.get("/macros/999999999", headers=V216), 404, "not_found")
