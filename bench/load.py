"""A small asyncio load client (aiohttp): fixed concurrency, bounded in count and time.

Only for servers on this machine: every URL must be on 127.0.0.1.
"""

import asyncio
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def assert_loopback(url: str) -> None:
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"Refusing to send load anywhere but this machine: {url}")


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    elapsed: float = 0.0
    concurrency: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000

    def merge(self, other: "Result") -> "Result":
        """Add another round of the same scenario."""
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.errors += other.errors
        self.elapsed += other.elapsed
        return self

    def summary(self) -> dict:
        return {
            "name": self.name,
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.elapsed, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "statuses": dict(self.statuses),
        }


def new_session(concurrency: int, client_address: str | None = None) -> aiohttp.ClientSession:
    """A client with its own cookies; ``client_address`` goes in X-Forwarded-For (the server trusts 127.0.0.1)."""
    headers = {"X-Forwarded-For": client_address} if client_address else {}
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=concurrency, force_close=True),
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        headers=headers,
        timeout=aiohttp.ClientTimeout(total=60),
    )


async def timed(result: Result, send: Callable[[], Awaitable[aiohttp.ClientResponse]], ok: set[int]) -> aiohttp.ClientResponse | None:
    started = time.perf_counter()
    try:
        async with await send() as response:
            await response.read()
    except (TimeoutError, aiohttp.ClientError):
        result.errors += 1
        result.statuses["exception"] += 1
        return None
    result.statuses[response.status] += 1
    if response.status in ok:
        result.latencies.append(time.perf_counter() - started)
    else:
        result.errors += 1
    return response


async def get_load(name: str, url: str, *, concurrency: int, seconds: float, max_requests: int, cookies: dict | None = None) -> Result:
    """GET ``url`` from ``concurrency`` clients until ``seconds`` or ``max_requests`` is reached."""
    assert_loopback(url)
    result = Result(name=name, concurrency=concurrency)
    deadline = time.perf_counter() + seconds
    budget = iter(range(max_requests))
    async with new_session(concurrency) as session:
        if cookies:
            session.cookie_jar.update_cookies(cookies)

        async def worker():
            while time.perf_counter() < deadline and next(budget, None) is not None:
                await timed(result, lambda: session.get(url, allow_redirects=False), {200})

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.elapsed = time.perf_counter() - started
    return result


async def csrf_token(session: aiohttp.ClientSession, form_url: str) -> str:
    async with session.get(form_url) as response:
        page = await response.text()
    match = CSRF_INPUT.search(page)
    if response.status != 200 or match is None:
        raise RuntimeError(f"Could not open the form at {form_url}: HTTP {response.status}")
    return match.group(1)


def person(number: int, run: str) -> dict:
    return {
        "full_name": f"Bench Person {number}",
        "company": f"Bench Company {number}",
        "job_title": "CEO",
        "email": f"bench-{run}-{number}@example.com",
        "phone": "+86 138 0000 0000",
        "wechat_id": "",
        "note": "",
        "consent": "on",
        "source": "bench",
        "website": "",
    }


async def submit_load(
    name: str, form_url: str, *, sector_id: int, clients: int, per_client: int, seconds: float, run: str, think: float = 0.0, first: int = 0
) -> Result:
    """``clients`` people, each from their own address, each submitting up to ``per_client`` registrations,
    pausing ``think`` seconds on average (0.5x to 1.5x, at random) between two submissions."""
    assert_loopback(form_url)
    result = Result(name=name, concurrency=clients)
    deadline = time.perf_counter() + seconds

    async def client(index: int):
        async with new_session(1, client_address=f"10.{index // 250}.{index % 250}.{7 + first // 10_000}") as session:
            if think:  # people arrive over the first pause, not all in the same millisecond
                await asyncio.sleep(random.uniform(0, think))
            token = await csrf_token(session, form_url)
            for attempt in range(per_client):
                if time.perf_counter() >= deadline:
                    return
                data = {**person(first + index * per_client + attempt, run), "sector": str(sector_id), "csrfmiddlewaretoken": token}
                await timed(result, lambda data=data: session.post(form_url, data=data, allow_redirects=False), {302})
                if think:
                    await asyncio.sleep(think * random.uniform(0.5, 1.5))

    started = time.perf_counter()
    await asyncio.gather(*(client(index) for index in range(clients)))
    result.elapsed = time.perf_counter() - started
    return result


async def burst(name: str, form_url: str, *, sector_id: int, people: int, run: str) -> Result:
    """``people`` open the form, then all submit at the same instant."""
    assert_loopback(form_url)
    result = Result(name=name, concurrency=people)
    start = asyncio.Event()
    ready = 0
    posted_at = 0.0
    sessions = [new_session(1, client_address=f"10.200.{index // 250}.{index % 250}") for index in range(people)]
    opening = asyncio.Semaphore(16)  # open the form 16 at a time, as people arrive

    async def one(index: int, session: aiohttp.ClientSession):
        nonlocal ready, posted_at
        async with opening:
            token = await csrf_token(session, form_url)
        ready += 1
        if ready == people:
            posted_at = time.perf_counter()
            start.set()
        await start.wait()
        data = {**person(index, run), "sector": str(sector_id), "csrfmiddlewaretoken": token}
        await timed(result, lambda: session.post(form_url, data=data, allow_redirects=False), {302})

    try:
        await asyncio.gather(*(one(index, session) for index, session in enumerate(sessions)))
        result.elapsed = time.perf_counter() - posted_at  # from the instant everyone submits
    finally:
        await asyncio.gather(*(session.close() for session in sessions))
    return result


async def admin_cookies(base_url: str, username: str, password: str) -> dict:
    """Sign in to admin as a person would and return the session cookies."""
    login_url = f"{base_url}/admin/login/?next=/admin/"
    async with new_session(1) as session:
        token = await csrf_token(session, login_url)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
        async with session.post(login_url, data=data, allow_redirects=False) as response:
            if response.status != 302:
                raise RuntimeError(f"Admin sign-in failed: HTTP {response.status}")
        return {cookie.key: cookie.value for cookie in session.cookie_jar}
