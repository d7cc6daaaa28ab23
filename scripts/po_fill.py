"""Fill a gettext .po file from a JSON map {msgid: msgstr}.

Usage: python scripts/po_fill.py LOCALE_PO TRANSLATIONS_JSON [--overwrite]

- Empty entries are filled from the map; msgids missing from the map are listed.
- Fuzzy entries found in the map get the map's text, and lose their ``fuzzy`` flag and their
  ``#| previous msgid`` lines; fuzzy entries not in the map are listed and left fuzzy.
- Already translated entries are left alone unless ``--overwrite`` is given.
- Obsolete entries (``#~``) are dropped.
- Plural entries take a JSON list (one string per plural form); a plain string fills every form.
- A key with a context is ``"context\\u0004msgid"``, as in the compiled catalogue.
- Every translation must keep the msgid's placeholders (``%(name)s``, ``%s``, ``{name}``) and
  HTML tags; one that does not is refused and listed.

Exit status: 0 when every entry ends up translated and not fuzzy, 1 otherwise.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

WIDTH = 79
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*[sdif]|\{\w*\}"
)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$")


def unquote(token: str) -> str:
    body = token[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def quote(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    return '"' + text.replace("\n", "\\n") + '"'


def render(keyword: str, text: str) -> list[str]:
    """``keyword "text"``, wrapped the way xgettext wraps (at spaces and after newlines)."""
    single = f"{keyword} {quote(text)}"
    if len(single) <= WIDTH and "\n" not in text[:-1]:
        return [single]
    chunks: list[str] = []
    for line in re.findall(r"[^\n]*\n|[^\n]+", text):
        current = ""
        for word in re.findall(r"\S*\s*", line):
            if current and len(quote(current + word)) > WIDTH:
                chunks.append(current)
                current = ""
            current += word
        if current:
            chunks.append(current)
    return [f'{keyword} ""', *(quote(chunk) for chunk in chunks)]


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        msgid = self.fields.get("msgid", "")
        ctxt = self.fields.get("msgctxt")
        return msgid if ctxt is None else f"{ctxt}\x04{msgid}"

    @property
    def flags(self) -> list[str]:
        return [f.strip() for c in self.comments if c.startswith("#,") for f in c[2:].split(",")]

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def msgstrs(self) -> list[str]:
        return [k for k in self.order if k.startswith("msgstr")]

    @property
    def translated(self) -> bool:
        return all(self.fields[k] for k in self.msgstrs)

    def unfuzz(self) -> None:
        comments = []
        for line in self.comments:
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [f for f in self.flags if f and f != "fuzzy"]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            comments.append(line)
        self.comments = comments

    def lines(self) -> list[str]:
        out = list(self.comments)
        for keyword in self.order:
            out += render(keyword, self.fields[keyword])
        return out


def parse(text: str) -> list[Entry]:
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.splitlines()
        if all(line.startswith("#~") or not line.strip() for line in lines):
            continue  # obsolete entry: dropped
        entry, current = Entry(), ""
        for line in lines:
            if line.startswith("#"):
                entry.comments.append(line)
            elif match := KEYWORD.match(line):
                current = match.group(1)
                entry.order.append(current)
                entry.fields[current] = unquote(match.group(2))
            elif line.startswith('"') and current:
                entry.fields[current] += unquote(line)
            else:
                raise SystemExit(f"cannot parse line: {line!r}")
        entries.append(entry)
    return entries


def problems(msgid: str, msgstr: str) -> list[str]:
    found = []
    if Counter(PLACEHOLDER.findall(msgid)) != Counter(PLACEHOLDER.findall(msgstr)):
        found.append("placeholders differ")
    if Counter(t.split()[0].rstrip(">") for t in TAG.findall(msgid)) != Counter(
        t.split()[0].rstrip(">") for t in TAG.findall(msgstr)
    ):
        found.append("HTML tags differ")
    if msgid.endswith("\n") != msgstr.endswith("\n"):
        found.append("trailing newline differs")
    return found


def fill(entry: Entry, value: str | list[str]) -> list[str]:
    keys = entry.msgstrs
    values = [value] * len(keys) if isinstance(value, str) else list(value)
    if len(values) != len(keys):
        return [f"{len(values)} forms given, {len(keys)} expected"]
    errors = []
    for key, text in zip(keys, values, strict=True):
        source = (
            entry.fields["msgid_plural"]
            if key != "msgstr[0]" and "msgid_plural" in entry.fields
            else entry.fields["msgid"]
        )
        errors += problems(source, text)
    if errors:
        return errors
    for key, text in zip(keys, values, strict=True):
        entry.fields[key] = text
    entry.unfuzz()
    return []


def main(po_path: str, map_path: str, *options: str) -> int:
    overwrite = "--overwrite" in options
    po = Path(po_path)
    translations: dict[str, str | list[str]] = json.loads(
        Path(map_path).read_text(encoding="utf-8")
    )
    entries = parse(po.read_text(encoding="utf-8"))
    report: list[str] = []
    for entry in entries:
        if entry.key == "":
            continue  # the header
        value = translations.get(entry.key)
        if value is None:
            if entry.fuzzy or not entry.translated:
                report.append(f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.key!r}")
            continue
        if entry.translated and not entry.fuzzy and not overwrite:
            continue
        for error in fill(entry, value):
            report.append(f"refused ({error}): {entry.key!r}")
    unused = set(translations) - {e.key for e in entries}
    po.write_text("\n\n".join("\n".join(e.lines()) for e in entries) + "\n", encoding="utf-8")
    for line in report:
        print(line, file=sys.stderr)
    for key in sorted(unused):
        print(f"not in the catalogue (ignored): {key!r}", file=sys.stderr)
    return 1 if report else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
