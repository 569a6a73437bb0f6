"""A small HTTP/1.1 load generator: keep-alive connections on asyncio streams, one request in flight per
connection, bounded by a request count and a duration. Lighter than an HTTP client library, so the
client is not what gets measured."""

import asyncio
import itertools
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

RequestFactory = Callable[[int], tuple[str, str, bytes | None]]


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p99_ms(self) -> float:
        return self.percentile(0.99) * 1000


def _encode(host: str, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def _worker(
    host: str,
    port: int,
    numbers: Iterator[int],
    make: RequestFactory,
    headers: dict[str, str],
    deadline: float,
    result: Result,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for number in numbers:
            if time.perf_counter() > deadline:
                return
            method, path, body = make(number)
            started = time.perf_counter()
            writer.write(_encode(host, method, path, body, headers))
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - started)
            result.requests += 1
            if status >= 400:
                result.errors += 1
    finally:
        writer.close()


def run(
    host: str,
    port: int,
    make: RequestFactory,
    *,
    headers: dict[str, str] | None = None,
    count: int = 3_000,
    seconds: float = 3.0,
    connections: int = 8,
    warmup: int = 100,
) -> Result:
    """Send up to `count` requests within `seconds` over `connections` connections."""

    async def main() -> Result:
        warm = Result(0, 0.0, [], 0)
        await _worker(host, port, iter(range(warmup)), make, headers or {}, time.perf_counter() + 5, warm)
        numbers = iter(itertools.count(warmup).__next__, warmup + count)
        result = Result(0, 0.0, [], 0)
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(_worker(host, port, numbers, make, headers or {}, deadline, result) for _ in range(connections))
        )
        result.seconds = time.perf_counter() - started
        return result

    return asyncio.run(main())
