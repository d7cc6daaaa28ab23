"""The provider webhooks' load generator, run in its own process: ``python -m bench.hookload <
job.json``.

Open loop: a message is due every ``1 / rate`` seconds, whatever the server's pace, taking turns
between WhatsApp (``POST /hooks/whatsapp``, ``X-Hub-Signature-256``), Slack (``POST
/hooks/slack``, signing v0) and Twilio Voice (``POST /hooks/voice``, ``X-Twilio-Signature``), each
signed as the provider signs it (protocols.md §2-4, §6) with a fresh message id. ``threads``
senders, each with its own keep-alive connection, take the due messages in order; a message's
time is measured from when it was due (so a server that falls behind is charged for the queue,
not only for its own work) to its answer. Answer (JSON on stdout): per hook, latencies (s) and
statuses, and the message keys sent
(wamid, Slack ts, CallSid).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import queue
import sys
import threading
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

HOOKS = ("whatsapp", "slack", "voice")


def whatsapp(job: dict[str, Any], n: int) -> tuple[str, bytes, dict[str, str], str]:
    wamid = f"wamid.bench{job['run']}{n:07d}"
    number = f"52155{n % 10_000_000:08d}"
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1029384756",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "528126982507",
                                "phone_number_id": job["whatsapp_phone_id"],
                            },
                            "contacts": [{"profile": {"name": f"Ruta {n}"}, "wa_id": number}],
                            "messages": [
                                {
                                    "from": number,
                                    "id": wamid,
                                    "timestamp": str(int(job["epoch"]) + n),
                                    "type": "text",
                                    "text": {"body": f"La máquina {n} no reporta ventas"},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    raw = json.dumps(body).encode()
    mac = hmac.new(job["whatsapp_secret"].encode(), raw, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={mac}"}
    return "/hooks/whatsapp", raw, headers, wamid


def slack(job: dict[str, Any], n: int) -> tuple[str, bytes, dict[str, str], str]:
    event_id = f"EvBENCH{job['run']}{n:07d}"
    ts = f"{int(job['epoch']) + n}.{n % 1_000_000:06d}"
    body = {
        "token": "unused",
        "team_id": job["slack_team"],
        "api_app_id": "ABENCH",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(job["epoch"]) + n,
        "event": {
            "type": "message",
            "channel": job["slack_channel"],
            "user": f"UBENCH{n % 50:03d}",
            "text": f"El tablero {n} no carga",
            "ts": ts,
            "channel_type": "channel",
        },
    }
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    base = b"v0:" + stamp.encode() + b":" + raw
    mac = hmac.new(job["slack_secret"].encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={mac}",
    }
    return "/hooks/slack", raw, headers, ts  # a Slack message is keyed on its ts


def voice(job: dict[str, Any], n: int) -> tuple[str, bytes, dict[str, str], str]:
    call = f"CA{job['run']}{n:024d}"[-34:]
    params = {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": call,
        "From": f"+52155{n % 10_000_000:08d}",
        "To": "+528126982507",
        "CallStatus": "ringing",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
    }
    url = job["public_url"] + "/hooks/voice"
    signed = url + "".join(k + params[k] for k in sorted(params))
    mac = hmac.new(job["twilio_token"].encode(), signed.encode(), hashlib.sha1).digest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": base64.b64encode(mac).decode(),
    }
    return "/hooks/voice", urlencode(params).encode(), headers, call


BUILD = {"whatsapp": whatsapp, "slack": slack, "voice": voice}


def run(job: dict[str, Any]) -> dict[str, Any]:
    parts = urlsplit(job["url"])
    count, rate = int(job["rate"] * job["duration_s"]), float(job["rate"])
    due: queue.Queue[tuple[float, str, tuple[str, bytes, dict[str, str], str]] | None]
    due = queue.Queue()
    results: dict[str, dict[str, list[Any]]] = {
        h: {"latency_s": [], "status": [], "keys": []} for h in HOOKS
    }
    lock = threading.Lock()

    def sender() -> None:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        while (item := due.get()) is not None:
            at, hook, (path, body, headers, ident) = item
            wait = at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                conn.request("POST", path, body=body, headers=headers)
                answer = conn.getresponse()
                answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
                status = 0
            took = time.monotonic() - at
            with lock:
                results[hook]["latency_s"].append(took)
                results[hook]["status"].append(status)
                results[hook]["keys"].append(ident)

    threads = [threading.Thread(target=sender) for _ in range(job["threads"])]
    start = time.monotonic() + 0.5
    for n in range(count):
        hook = HOOKS[n % len(HOOKS)]
        due.put((start + n / rate, hook, BUILD[hook](job, n)))
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> int:
    job = json.load(sys.stdin)
    print(json.dumps(run(job)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
