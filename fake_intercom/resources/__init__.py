"""One module per Intercom resource, each with an `IntercomRouter` named `router`.

Modules are found by name, so adding a resource is adding a file.
"""

import importlib
import pkgutil
from types import ModuleType


def resource_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
        if not info.name.startswith("_")
    ]
