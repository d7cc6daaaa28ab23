"""The demo desk's Slack Connect threads, sent through the real path: signed Events API bodies
handed to the hook's service (``channels.slack.hooks.receive``), each event then filed by its
own job's handler, as the worker would. Café Express MTY (Pro) asks in its shared channel,
Lucía answers from the console (the reply is queued for the thread), Luis replies in the
thread; Snacks del Norte (Starter) writes in its channel too and gets an email-grade ticket.

There is no Slack here: the channels are linked and their writers known ahead (seeded
``SlackPerson`` rows, so no ``users.info`` lookup), and what the desk would post waits in the
outbox (it fails, saying ``SOPORTE_SLACK_BOT_TOKEN`` is not set, unless a token is)."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from soporte.accounts.models import Agent, Contact
from soporte.channels.slack import hooks, inbound
from soporte.channels.slack.domain.signing import sign
from soporte.channels.slack.models import SlackChannel, SlackPerson
from soporte.jobs.models import Job
from soporte.tickets import services as tickets
from soporte.tickets.models import Ticket

TEAM = "T0TRACKMYVEND"


def seed(*, contacts: list[Contact], agents: dict[str, Agent], now: datetime) -> None:
    """Slack stories for the demo's organisations (``contacts``: one per plan)."""
    ana, luis, _kate = contacts
    lucia = agents["lucia@trackmyvend.mx"]
    cafe = _link(luis, "C0CAFEXPRESS", "cafe-express-soporte", "U0LUIS", now - timedelta(days=30))
    snacks = _link(ana, "C0SNACKS", "snacks-del-norte", "U0ANA", now - timedelta(days=30))
    asked = now - timedelta(hours=2)
    root = _say(
        cafe,
        "U0LUIS",
        "Hola, el tablero no muestra las ventas de la máquina 7 (Fundidora) desde las 8:00. "
        "¿Lo pueden revisar? <https://app.trackmyvend.com/maquinas/7|Máquina 7>",
        asked,
    )
    ticket = Ticket.objects.filter(slack_thread__channel=cafe, slack_thread__thread_ts=root).first()
    if ticket is not None:
        tickets.reply(
            ticket=ticket,
            author=lucia,
            body="Hola Luis, ya vimos que la máquina 7 dejó de sincronizar a las 7:58. "
            "La reiniciamos desde aquí; ¿nos confirmas si ya aparecen las ventas?",
            at=asked + timedelta(minutes=25),
        )
    _say(cafe, "U0LUIS", "Gracias, ya aparecen. 👍", asked + timedelta(minutes=40), thread=root)
    _say(
        snacks,
        "U0ANA",
        "Buenas, ¿pueden activar el reporte de mermas para nuestras 12 máquinas?",
        now - timedelta(minutes=50),
    )


def _link(contact: Contact, channel_id: str, name: str, user_id: str, at: datetime) -> SlackChannel:
    """The organisation's shared channel, linked as an administrator does, and its writer."""
    organisation = contact.organisation
    channel, _ = SlackChannel.objects.update_or_create(
        team_id=TEAM,
        channel_id=channel_id,
        defaults={"name": name, "organisation": organisation, "created_at": at},
    )
    SlackPerson.objects.get_or_create(
        user_id=user_id, organisation=organisation, defaults={"contact": contact}
    )
    return channel


def _say(
    channel: SlackChannel, user: str, text: str, at: datetime, *, thread: str | None = None
) -> str:
    """``user`` writes ``text`` in ``channel`` at ``at`` (in ``thread``): Slack's event,
    signed and received, then filed. Returns the message's ts."""
    ts = f"{at.timestamp():.6f}"
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel.channel_id,
        "user": user,
        "text": text,
        "ts": ts,
        "channel_type": "channel",
    }
    if thread:
        event["thread_ts"] = thread
    event_id = f"Ev{secrets.token_hex(6).upper()}"
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM,
            "event_id": event_id,
            "event_time": int(at.timestamp()),
            "is_ext_shared_channel": True,
            "authorizations": [{"team_id": TEAM, "user_id": "U0SOPORTE", "is_bot": True}],
            "event": event,
        }
    ).encode()
    secret = secrets.token_hex(16)  # the demo signs and verifies with a throwaway secret
    stamp = str(int(at.timestamp()))
    headers = {
        hooks.TIMESTAMP: stamp,
        hooks.SIGNATURE: sign(secret=secret, raw_body=body, timestamp=stamp),
    }
    hooks.receive(body, headers=headers, secret=secret, now=at)
    job = Job.objects.get(key=inbound.job_key(event_id))
    inbound.file_event(job, now=at)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=at)
    return ts
