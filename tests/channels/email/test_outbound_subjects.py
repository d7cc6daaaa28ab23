"""The subject and thread headers of our replies (pure rules): one ``Re:``, one ``[#N]``,
references kept short with the thread's root first."""

from __future__ import annotations

import pytest

from soporte.channels.email.domain.outbound import (
    REFERENCES,
    clean_subject,
    reply_subject,
    thread_headers,
)


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        ("La impresora no imprime", "Re: [#42] La impresora no imprime"),
        ("Re: La impresora no imprime", "Re: [#42] La impresora no imprime"),
        ("RE: Re: re:La impresora", "Re: [#42] La impresora"),
        ("Re: [#42] La impresora", "Re: [#42] La impresora"),
        ("[#42] Re: La impresora", "Re: [#42] La impresora"),
        ("RV: Fwd: AW: Re[3]: La impresora [#42]", "Re: [#42] La impresora"),
        ("Re: [#7] from another ticket", "Re: [#42] from another ticket"),
        ("Reporte: ventas en cero", "Re: [#42] Reporte: ventas en cero"),
        ("Re:", "Re: [#42]"),
        ("", "Re: [#42]"),
    ],
)
def test_a_reply_subject_has_one_re_and_one_tag(theirs: str, ours: str) -> None:
    assert reply_subject(theirs, 42) == ours
    assert reply_subject(ours, 42) == ours  # stable: replying to a reply changes nothing


def test_clean_subject_keeps_words_that_only_start_like_a_prefix() -> None:
    assert clean_subject("Referencias rotas") == "Referencias rotas"
    assert clean_subject("Fwd : Tr: Encuesta") == "Encuesta"


def test_thread_headers_answer_the_latest_and_keep_the_root_first() -> None:
    ids = [f"<{i}@x>" for i in range(25)]
    headers = thread_headers(ids)
    kept = headers["References"].split()
    assert headers["In-Reply-To"] == "<24@x>"
    assert kept[0] == "<0@x>"
    assert kept[1:] == ids[-(REFERENCES - 1) :]
    assert thread_headers([]) == {}
    assert thread_headers(["<only@x>"]) == {"In-Reply-To": "<only@x>", "References": "<only@x>"}
