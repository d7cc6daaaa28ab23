"""The chat load generator, run in its own process: ``python -m bench.chatload < job.json``.

The job names the server, the chat secret, the contacts to sign widgets for, how many widgets,
the seconds between a widget's messages, how long to run, the API token of the agent side and
an agent's console session. Every widget (one asyncio task, all on one event loop with a shared
connection pool: bounded clients) starts a signed conversation, keeps a long-poll open
(``GET /chat/api/messages``) and sends a message every ``every_s`` seconds; for each message the
agent side answers through the API (``POST /api/tickets/N/messages``), and the widget times the
answer from that POST to its long-poll delivering it (agent → customer). The first ``watched``
chats are also watched by the agent's console long-poll (``/console/chat/N/wait``), which times
each customer message from its POST to the console learning of it (customer → agent). Answer
(JSON on stdout): both latency lists (s), counts and failures.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sys
import time
from typing import Any

import httpx


class Chat:
    def __init__(self, n: int) -> None:
        self.n = n
        self.token = ""
        self.ticket = 0
        self.last = 0
        self.replies: dict[str, float] = {}  # reply text → when the agent posted it
        self.sent_at: float | None = None  # the customer's message the console has not seen


async def run(job: dict[str, Any]) -> dict[str, Any]:
    base, secret = job["url"], job["secret"]
    limits = httpx.Limits(max_connections=job["widgets"] + job["watched"] + 20)
    timeout = httpx.Timeout(60.0)
    to_agent: list[float] = []
    to_customer: list[float] = []
    failures: list[str] = []
    stop = time.monotonic() + job["duration_s"]
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as http:

        async def start(chat: Chat) -> None:
            contact = job["contacts"][chat.n % len(job["contacts"])]
            email, org = contact["email"], contact["org"]
            sig = hmac.new(secret.encode(), f"{email}|{org}".encode(), hashlib.sha256).hexdigest()
            fields = {"email": email, "organisation": org, "signature": sig, "lang": "es"}
            answer = await http.post("/chat/api/start", json=fields)
            answer.raise_for_status()
            chat.token = answer.json()["token"]

        async def send(chat: Chat, k: int) -> None:
            headers = {"X-Chat-Token": chat.token}
            body = {"client_id": f"m{k}", "body": f"Widget {chat.n} message {k}"}
            chat.sent_at = time.monotonic()
            answer = await http.post("/chat/api/messages", json=body, headers=headers)
            answer.raise_for_status()
            chat.ticket = answer.json()["ticket"]
            text = f"Answer {k} to widget {chat.n}"
            chat.replies[text] = time.monotonic()
            agent = {"Authorization": f"Bearer {job['token']}"}
            reply = await http.post(
                f"/api/tickets/{chat.ticket}/messages", json={"body": text}, headers=agent
            )
            if reply.status_code != 201:
                failures.append(f"reply {reply.status_code} {reply.text[:200]}")

        async def listen(chat: Chat) -> None:
            headers = {"X-Chat-Token": chat.token}
            while time.monotonic() < stop:
                wait = max(1, min(25, int(stop - time.monotonic())))
                answer = await http.get(
                    f"/chat/api/messages?after={chat.last}&wait={wait}", headers=headers
                )
                answer.raise_for_status()
                now = time.monotonic()
                for message in answer.json()["messages"]:
                    chat.last = max(chat.last, message["id"])
                    posted = chat.replies.pop(message["text"], None)
                    if posted is not None:
                        to_customer.append(now - posted)

        async def watch(chat: Chat) -> None:
            cookies = {"sessionid": job["session"]}
            last = 0
            while time.monotonic() < stop:
                answer = await http.get(
                    f"/console/chat/{chat.ticket}/wait?after={last}", cookies=cookies
                )
                answer.raise_for_status()
                found = answer.json()["messages"]
                now = time.monotonic()
                if found:
                    last = max(found)
                    if chat.sent_at is not None:
                        to_agent.append(now - chat.sent_at)
                        chat.sent_at = None

        async def widget(chat: Chat) -> None:
            try:
                await start(chat)
                await send(chat, 0)
                tasks = [asyncio.create_task(listen(chat))]
                if chat.n < job["watched"]:
                    chat.sent_at = None
                    tasks.append(asyncio.create_task(watch(chat)))
                k = 1
                # Spread the widgets' messages over the period.
                await asyncio.sleep(job["every_s"] * (chat.n / job["widgets"]))
                while time.monotonic() + job["every_s"] < stop:
                    await send(chat, k)
                    k += 1
                    await asyncio.sleep(job["every_s"])
                await asyncio.gather(*tasks)
            except (httpx.HTTPError, KeyError, ValueError) as exc:
                failures.append(f"widget {chat.n}: {type(exc).__name__}: {exc}"[:300])

        chats = [Chat(n) for n in range(job["widgets"])]
        pending = []
        for chat in chats:  # open the widgets over the first seconds, not all at once
            pending.append(asyncio.create_task(widget(chat)))
            await asyncio.sleep(job["ramp_s"] / job["widgets"])
        await asyncio.gather(*pending)
    return {"to_customer": to_customer, "to_agent": to_agent, "failures": failures}


def main() -> int:
    job = json.load(sys.stdin)
    print(json.dumps(asyncio.run(run(job))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
