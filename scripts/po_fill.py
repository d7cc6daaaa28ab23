"""Fill empty msgstr entries of a .po file from a JSON map {msgid: msgstr}.

Usage: python scripts/po_fill.py LOCALE_PO TRANSLATIONS_JSON
Entries already translated are left alone; msgids missing from the map are listed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ENTRY = re.compile(r'(?ms)^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ""\n(?!")')


def _unquote(block: str) -> str:
    return "".join(json.loads(line) for line in block.strip().splitlines())


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(po_path: str, map_path: str) -> int:
    po = Path(po_path)
    translations: dict[str, str] = json.loads(Path(map_path).read_text(encoding="utf-8"))
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        msgid = _unquote(match.group(1))
        if not msgid:
            return match.group(0)
        if msgid not in translations:
            missing.append(msgid)
            return match.group(0)
        return f"msgid {match.group(1)}msgstr {_quote(translations[msgid])}\n"

    po.write_text(ENTRY.sub(fill, po.read_text(encoding="utf-8")), encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
