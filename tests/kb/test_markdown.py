"""Article bodies: Markdown rendered, then sanitised."""

from __future__ import annotations

from soporte.kb.markdown import render


def test_markdown_renders_headings_lists_tables_and_links() -> None:
    html = render(
        "## Alta de máquina\n\n1. Abre **Máquinas**\n2. Pulsa *Nueva*\n\n"
        "| Campo | Valor |\n|---|---|\n| ID | 42 |\n\n[Manual](https://trackmyvend.com/Manuales.html)"
    )
    assert "<h2>Alta de máquina</h2>" in html
    assert "<ol>" in html
    assert "<strong>Máquinas</strong>" in html
    assert "<em>Nueva</em>" in html
    assert "<table>" in html
    assert "<td>42</td>" in html
    assert 'href="https://trackmyvend.com/Manuales.html"' in html
    assert 'rel="noopener noreferrer"' in html


def test_raw_html_and_scripts_never_reach_the_page() -> None:
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\nok')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, not run


def test_javascript_links_are_dropped() -> None:
    html = render("[click](javascript:alert(1)) ![i](javascript:alert(2))")
    assert "<a" not in html
    assert "<img" not in html
    assert "href" not in html
    assert "src" not in html


def test_images_keep_their_address_and_alt_text() -> None:
    html = render("![Pantalla de ventas](/kb/images/7)")
    assert '<img src="/kb/images/7" alt="Pantalla de ventas"' in html
