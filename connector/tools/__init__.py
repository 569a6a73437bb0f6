"""Every tool declaration, one module per Intercom resource (the same names as the fake's resources).

Modules are found by name, so adding a resource's tools is adding a file.
"""

import importlib
import pkgutil
from types import ModuleType

from connector.tools.definition import META_PARAMS, Param, ToolDef

MODULES: tuple[ModuleType, ...] = tuple(
    importlib.import_module(f"{__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    if info.name != "definition" and not info.name.startswith("_")
)
ALL_TOOLS: tuple[ToolDef, ...] = tuple(tool for module in MODULES for tool in module.TOOLS)

__all__ = ["ALL_TOOLS", "META_PARAMS", "MODULES", "Param", "ToolDef"]
