"""Intercom-Version values (the spec's `intercom_version` enum, plus the two named channels)."""

import functools

STABLE_VERSIONS: tuple[str, ...] = (
    *(f"1.{minor}" for minor in range(5)),
    *(f"2.{minor}" for minor in range(17)),
)
NAMED_VERSIONS: tuple[str, ...] = ("Preview", "Unstable")
ALL_VERSIONS: tuple[str, ...] = STABLE_VERSIONS + NAMED_VERSIONS
DEFAULT_VERSION = "2.15"


# Cached: every route asks, for every version, whether its operation exists in it.
@functools.cache
def version_key(version: str) -> tuple[int, int]:
    """Order versions; the named channels sort after every numbered one."""
    if version in NAMED_VERSIONS:
        return (99, NAMED_VERSIONS.index(version))
    major, minor = version.split(".")
    return (int(major), int(minor))


def at_least(version: str, minimum: str) -> bool:
    return version_key(version) >= version_key(minimum)


def next_version(version: str) -> str:
    """The numbered version after this one (2.15 -> 2.16); the last one is followed by Preview."""
    position = STABLE_VERSIONS.index(version)
    return STABLE_VERSIONS[position + 1] if position + 1 < len(STABLE_VERSIONS) else NAMED_VERSIONS[0]
