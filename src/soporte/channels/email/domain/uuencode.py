"""Files uuencoded inside a plain-text body (``begin 644 name`` … ``end``), as old mailers
and some scanners still send them: taken out of the text and kept as attachments. Pure."""

from __future__ import annotations

import binascii
import mimetypes
import re

from soporte.channels.email.domain.parts import Part

_BLOCK = re.compile(r"^begin [0-7]{3,4} ([^\n]+)\n(.*?)^end[ \t]*$\n?", re.MULTILINE | re.DOTALL)


def take_files(text: str) -> tuple[str, list[Part]]:
    """``text`` without its uuencoded blocks, and the files they held."""
    if "begin " not in text:
        return text, []
    files: list[Part] = []

    def take(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        kind = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
        files.append(Part(name, kind, _decode(match.group(2))))
        return ""

    return _BLOCK.sub(take, text), files


def _decode(block: str) -> bytes:
    out = bytearray()
    for line in block.split("\n"):
        data = line.rstrip("\r").encode("latin-1", "replace")
        if not data or data in {b"`", b" "}:
            continue
        try:
            out += binascii.a2b_uu(data)
        except binascii.Error:
            length = (((data[0] - 32) & 63) * 4 + 5) // 3  # a line with trailing garbage
            try:
                out += binascii.a2b_uu(data[:length])
            except binascii.Error:
                continue
    return bytes(out)
