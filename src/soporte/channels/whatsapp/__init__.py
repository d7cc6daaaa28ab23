"""The WhatsApp Cloud API channel: the webhook (``hooks``), what it files (``ingest``,
``render``, ``media``), replies and templates out (``outbound``, ``graph``), pages
(``paging``), and what the console shows (``selectors``, ``services``)."""
