"""The email channel: soporte@trackmyvend.com in (IMAP poll, pipe, HTTP hook) and out."""
