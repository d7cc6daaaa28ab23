"""Slack events, accepted by the hook and filed by a job, exactly once.

The hook (:func:`accept`) only stores the verified event as a job keyed on its ``event_id``
(``slack.event:<event_id>``): Slack's retries of the same event find the job and add nothing,
and the answer goes back within Slack's 3 seconds. The job (:func:`file_event`) reads the
message (``domain.events``) and:

- a new top-level message opens a ticket on the ``slack`` channel (its thread is the ticket's),
  acknowledged once in the thread when the channel is linked;
- a reply in a ticket's thread is the customer's reply on it (a reply in a thread no ticket
  has, opens one for that thread);
- an edit or a deletion of a message the desk filed becomes an internal note by the
  integration account *Slack* (the ticket keeps what was first written; an edit is neither a
  new customer reply nor a change of the record);
- bots' messages, our own, channel notices and other event types are ignored (logged);
- a message from a desk agent (by their email address) is ignored: agents answer in the
  console.

A channel nobody linked yet is recorded unlinked (the admin links it to an organisation) and
its messages become tickets of the unidentified senders, with no post in Slack.

Each message is keyed by its ``ts`` in its channel's scope, so a message is filed once even
if Slack sent it under two event ids. The clock starts at the message's ``ts`` (Slack's
timestamp), never later than when the desk received it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import Agent, AgentKind, Contact, email_is
from soporte.accounts.services import create_agent
from soporte.channels import senders
from soporte.channels.email import parts
from soporte.channels.email.domain.parts import Part
from soporte.channels.slack import files, outbound, people
from soporte.channels.slack.domain.events import Callback, Kind, SlackMessage, read_message
from soporte.channels.slack.domain.mrkdwn import plain
from soporte.channels.slack.models import SlackChannel, SlackThread
from soporte.dates import short_when
from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.jobs.registry import handler
from soporte.policy import default_policy
from soporte.tickets import intake_updates
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake, supplied
from soporte.tickets.models import Channel, Ticket
from soporte.tickets.selectors import MessageKey, keyed_message

log = structlog.get_logger(__name__)

EVENT = "slack.event"
CHANNEL = str(Channel.SLACK)
DEFAULT_SEVERITY = "P2"
"""A Slack ticket's severity when the policy's Slack channel names none."""
INTEGRATION_EMAIL = "slack@integrations.invalid"
"""The integration account that writes the notes of edits and deletions (``soporte.accounts``'
integration accounts live at ``integrations.invalid``)."""


def job_key(event_id: str) -> str:
    return f"{EVENT}:{event_id}"


def accept(callback: Callback, *, received_at: datetime) -> bool:
    """Store ``callback`` to be filed, once per event id; ``False`` if it already was.
    Commits before returning (the hook answers 2xx only then): one statement, the job's
    insert, which skips an event id already stored."""
    key = job_key(callback.event_id)
    payload = {
        "event_id": callback.event_id,
        "team_id": callback.team_id,
        "event": callback.event,
        "own_users": sorted(callback.own_users),
        "received_at": received_at.isoformat(),
    }
    return jobs.schedule_new(kind=EVENT, key=key, due_at=received_at, payload=payload) is not None


def _file_offline(job: Job, *, now: datetime) -> None:
    """The last attempt failed (Slack unreachable all along): file the message with what the
    event carries, so it is never lost: the sender named from the event, its files noted."""
    _file(job, now=now, reach_slack=False)


@handler(EVENT, atomic=False, on_failed=_file_offline)
def file_event(job: Job, *, now: datetime) -> None:
    """File the job's event (see the module docstring). Raises, to be retried, when Slack
    cannot be reached for the sender's profile or a file."""
    _file(job, now=now, reach_slack=True)


def _file(job: Job, *, now: datetime, reach_slack: bool) -> None:
    p = job.payload
    callback = Callback(p["event_id"], p["team_id"], p["event"], frozenset(p["own_users"]))
    message = read_message(callback)
    if message.kind == Kind.IGNORED:
        log.info("slack.ignored", event_id=callback.event_id, reason=message.reason)
        return
    received_at = datetime.fromisoformat(p["received_at"])
    channel = _channel(callback.team_id, message.channel, now=now)
    if message.kind == Kind.POST:
        at = min(_instant(message.ts) or received_at, received_at)
        _post(channel, message, at=at, now=now, reach_slack=reach_slack)
    else:
        _note(channel, message, at=received_at)


def _post(
    channel: SlackChannel, message: SlackMessage, *, at: datetime, now: datetime, reach_slack: bool
) -> None:
    key = MessageKey(channel.scope, message.ts)
    if keyed_message(key) is not None:
        return
    organisation = channel.organisation or senders.unidentified_place()
    known = people.known(message.user, organisation)
    found = None
    if known is None:
        found = people.Profile(name=message.name)
        if reach_slack:
            found = people.profile(message.user, name=message.name)
    if found is not None and people.is_agent(found):
        log.info("slack.agent_message", channel=channel.channel_id, ts=message.ts)
        return
    with override(known.locale if known else organisation.locale):
        fetched, notes = files.fetch(message.files, reach_slack=reach_slack)
    with transaction.atomic():
        author = known or people.author(message.user, organisation, found or people.Profile())
        root = message.thread_ts or message.ts
        threads = SlackThread.objects.select_related("ticket")
        thread = threads.filter(channel=channel, thread_ts=root).first()
        if thread is not None:
            _append(thread.ticket, author, message, key, fetched, notes, at=at)
        else:
            _open(channel, author, message, key, fetched, notes, root=root, at=at, now=now)


def _open(
    channel: SlackChannel,
    author: Contact,
    message: SlackMessage,
    key: MessageKey,
    fetched: list[Part],
    notes: list[str],
    *,
    root: str,
    at: datetime,
    now: datetime,
) -> None:
    text = plain(message.text).strip()
    with override(author.locale):
        chosen = parts.choose(fetched, held=0)
    intake = supplied(
        Intake(),
        text=text,
        attached=chosen.screenshot,
        organisation_id=str(author.organisation_id),
        own_hosts=intake_updates.own_hosts(),
    )
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    ticket = tickets.open_ticket(
        requester=author,
        channel=CHANNEL,
        severity=default_policy().channel(CHANNEL).severity or DEFAULT_SEVERITY,
        subject=first_line or (fetched[0].filename if fetched else ""),
        body=_body(text, notes + chosen.notes),
        intake=intake,
        now=now,
        received_at=at,
        key=key,
        acknowledge_by_email=False,
    )
    _keep(ticket, key, chosen.kept)
    thread = SlackThread.objects.create(channel=channel, thread_ts=root, ticket=ticket)
    if channel.organisation_id is not None:
        outbound.post_acknowledgement(ticket, thread, now=now)


def _append(
    ticket: Ticket,
    author: Contact,
    message: SlackMessage,
    key: MessageKey,
    fetched: list[Part],
    notes: list[str],
    *,
    at: datetime,
) -> None:
    text = plain(message.text).strip()
    with override(author.locale):
        chosen = parts.choose(fetched, held=parts.held(ticket) if fetched else 0)
    tickets.reply(
        ticket=ticket, author=author, body=_body(text, notes + chosen.notes), at=at, key=key
    )
    _keep(ticket, key, chosen.kept)
    if chosen.screenshot:
        intake_updates.record_supplied(ticket, author, "", attached=True, at=at)


def _body(text: str, notes: list[str]) -> str:
    return "\n\n".join(filter(None, [text, *notes])) or "…"


def _keep(ticket: Ticket, key: MessageKey, kept: list[Part]) -> None:
    if kept:
        written = keyed_message(key)
        assert written is not None
        parts.store(ticket=ticket, message=written, parts=kept)


def _note(channel: SlackChannel, message: SlackMessage, *, at: datetime) -> None:
    """An edit or a deletion of a filed message: an internal note on its ticket."""
    filed = keyed_message(MessageKey(channel.scope, message.ts))
    if filed is None:
        log.info("slack.change_of_unfiled_message", channel=channel.channel_id, ts=message.ts)
        return
    ticket = filed.ticket
    written = _instant(message.ts) or at
    with override(settings.LANGUAGE_CODE):
        values = {
            "when": short_when(written.astimezone(ZoneInfo(default_policy().calendar_spec.zone)))
        }
        if message.kind == Kind.EDIT:
            body = (
                _("The customer edited in Slack their message of %(when)s. It now reads:") % values
            )
            body += "\n\n" + plain(message.text)
        else:
            body = (
                _("The customer deleted in Slack their message of %(when)s; the ticket keeps it.")
                % values
            )
    note_key = MessageKey(channel.scope, f"{message.kind}:{message.ts}:{at.timestamp()}")
    tickets.reply(
        ticket=ticket, author=_integration(), body=body, public=False, at=at, key=note_key
    )


def _integration() -> Agent:
    """The integration account *Slack* (made on first use)."""
    found = Agent.objects.filter(email_is(INTEGRATION_EMAIL)).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return create_agent(email=INTEGRATION_EMAIL, name="Slack", kind=AgentKind.INTEGRATION)
    except IntegrityError:  # made meanwhile by a concurrent event
        return Agent.objects.get(email_is(INTEGRATION_EMAIL))


def _channel(team_id: str, channel_id: str, *, now: datetime) -> SlackChannel:
    """The channel's record, made (unlinked) the first time an event comes from it."""
    channels = SlackChannel.objects.select_related("organisation")
    known = channels.filter(team_id=team_id, channel_id=channel_id).first()
    if known is not None:
        return known
    try:
        with transaction.atomic():
            found, _made = SlackChannel.objects.select_related("organisation").get_or_create(
                team_id=team_id, channel_id=channel_id, defaults={"created_at": now}
            )
            return found
    except IntegrityError:  # made meanwhile by a concurrent event
        return SlackChannel.objects.select_related("organisation").get(
            team_id=team_id, channel_id=channel_id
        )


def _instant(ts: str) -> datetime | None:
    """Slack's ``ts`` (``"1767628920.000200"``: Unix seconds) as an instant."""
    try:
        return datetime.fromtimestamp(float(ts), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
