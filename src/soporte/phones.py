"""Phone numbers as one canonical E.164 string, for every channel that knows people by number
(WhatsApp, the emergency line, SMS and voice pages). Pure: no Django.

Mexico dropped the mobile prefix ``1`` (``+52 1 81 …``) in 2019, but WhatsApp still reports many
Mexican senders as ``521…``; both forms are the same line, so the canonical form is without it.
Numbers without a country code are read as Mexican (``region``).
"""

from __future__ import annotations

import phonenumbers

_MEXICO = 52
_OLD_MOBILE = "1"
_NATIONAL_DIGITS = 10


def e164(raw: str, *, region: str = "MX") -> str | None:
    """``raw`` as ``+<country><number>`` (``None`` when it is not a valid number).
    ``"+52 (81) 2698-2507"``, ``"8126982507"``, ``"5218126982507"`` and ``"+5218126982507"`` are
    all ``"+528126982507"``; so is WhatsApp's ``wa_id`` ``"5218126982507"``: bare digits longer
    than a national number are read as international first (``"14155550100"`` is
    ``"+14155550100"``)."""
    text = raw.strip()
    if not text or len(text) > 40:
        return None
    for candidate in _readings(text):
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        national = str(number.national_number)
        if number.country_code == _MEXICO and national.startswith(_OLD_MOBILE):
            number = phonenumbers.PhoneNumber(
                country_code=_MEXICO, national_number=int(national[len(_OLD_MOBILE) :])
            )
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _readings(text: str) -> list[str]:
    """The ways to read ``text``, likeliest first: as written; for bare digits also as
    international, first when there are more than a national number's ten (a ``wa_id``)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+") or not digits or not text.replace(" ", "").isdigit():
        return [text]
    international = "+" + digits
    return [international, text] if len(digits) > _NATIONAL_DIGITS else [text, international]


def same_line(a: str, b: str) -> bool:
    """Whether two written numbers are the same line (both valid)."""
    first = e164(a)
    return first is not None and first == e164(b)
