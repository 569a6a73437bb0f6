"""Intercom's objects and requests as pydantic models, one module per resource."""
