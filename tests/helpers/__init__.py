"""Helpers that many test modules share: building records through the API, reading errors, and fixtures
for the sandbox client."""
