"""Every tool declaration, one module per Intercom resource (the same names as the fake's resources)."""

from connector.tools import (
    admins,
    companies,
    contacts,
    data_attributes,
    data_events,
    notes,
    segments,
    subscription_types,
    tags,
    teams,
    visitors,
)
from connector.tools.definition import META_PARAMS, Param, ToolDef

MODULES = (
    admins,
    companies,
    contacts,
    data_attributes,
    data_events,
    notes,
    segments,
    subscription_types,
    tags,
    teams,
    visitors,
)
ALL_TOOLS: tuple[ToolDef, ...] = tuple(tool for module in MODULES for tool in module.TOOLS)

__all__ = ["ALL_TOOLS", "META_PARAMS", "MODULES", "Param", "ToolDef"]
