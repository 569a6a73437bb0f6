"""IP addresses and networks, as an IP allowlist holds them and the gateway checks callers against them."""

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def network(entry: str) -> Network:
    """A single address or a CIDR range (host bits may be set); ValueError when it is neither."""
    return ipaddress.ip_network(entry.strip(), strict=False)


def allows(networks: list[Network], address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == network.version and ip in network for network in networks)
