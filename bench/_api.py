"""The few API calls every serve benchmark makes: submit, wait for the end, poll a check."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from videogen.actors.runtime.events import is_terminal

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    import httpx

__all__ = ["poll_until", "submit", "wait_terminal"]


# Owner tokens of the generations this run started: a cancel must show its generation's.
OWNER_TOKENS: dict[str, str] = {}


async def submit(client: httpx.AsyncClient, url: str, topic: str, slides: int) -> str:
    response = await client.post(
        url + "/api/generate",
        json={"topic": topic, "num_slides": slides},
        headers={"Prefer": "respond-async"},
    )
    assert response.status_code == 202, response.text
    gid: str = response.json()["generation_id"]
    OWNER_TOKENS[gid] = response.json()["owner_token"]
    return gid


async def poll_until(check: Callable[[], Awaitable[bool]], interval: float) -> None:
    """Call `check` every `interval` seconds until it says yes."""
    while True:
        if await check():
            return
        await trio.sleep(interval)


async def wait_terminal(client: httpx.AsyncClient, url: str, gid: str) -> str:
    while True:
        status: str = (await client.get(f"{url}/api/status/{gid}")).json()["status"]
        if is_terminal(status):
            return status
        await trio.sleep(0.1)
