"""``soporte kb reindex``: rebuild the knowledge base's search index from the articles
(``kb.search.index.rebuild``, docs/kb.md "Keeping it current"), for writes that sent no signal
(a ``QuerySet.update`` of titles or bodies, a bulk load). Prints how many articles it indexed."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    kb = subparsers.add_parser("kb", help="the knowledge base (soporte kb reindex)")
    commands = kb.add_subparsers(title="commands", dest="command", required=True)
    reindex = commands.add_parser("reindex", help="rebuild the search index from the articles")
    reindex.set_defaults(func=_reindex, needs_django=True)


def _reindex(args: argparse.Namespace) -> int:
    # Django is set up only now (``needs_django``): the models load here, not at registration.
    from soporte.kb.search.index import rebuild

    print(f"indexed {rebuild()} articles")
    return 0
