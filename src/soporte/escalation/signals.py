"""What paging tells the rest of the desk.

``founder_cto_paged`` is sent inside the transaction that fires a page's founder/CTO step (a
P0 still unresolved ``founder_cto_after`` after it opened) when someone holds it: the feedback
app asks for a post-mortem. Keyword arguments: ``ticket``, ``page``, ``at``.
"""

from __future__ import annotations

from django.dispatch import Signal

founder_cto_paged = Signal()
