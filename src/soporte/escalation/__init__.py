"""Pages: who is paged for a ticket, when the page escalates, and how it is acknowledged."""
