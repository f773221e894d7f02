"""Minutes markup: safe Markdown rendering and the client-data warnings. Pure unit tests."""

from __future__ import annotations

import re
import time
from datetime import date
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from kimweb.meetings.markup import (
    ALLOWED_TAGS,
    WARNING_LABELS,
    client_data_warnings,
    render_markdown,
)

ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
FORBIDDEN_ATTRIBUTE_PREFIXES = ("on", "hx-", "data-", "style", "class", "id")
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060\ufeff]")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
TODAY = date(2026, 11, 21)


class TagCollector(HTMLParser):
    """Every start tag with its attributes, as a browser-like parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.other.append(f"comment {data}")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"decl {decl}")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"pi {data}")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"unknown {data}")


def parse(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector


def assert_safe(html: str) -> None:
    collector = parse(html)
    assert collector.other == []
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith(FORBIDDEN_ATTRIBUTE_PREFIXES), (tag, name)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name)
            if name == "href":
                scheme = SCHEME.match(INVISIBLE.sub("", value or "").lower())
                assert scheme is None or scheme[1] in {"http", "https", "mailto"}, value


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java\u200bscript:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    '<div hx-get="/admin" hx-trigger="load">x</div>',
    '<span hx-on:click="alert(1)">x</span>',
    '<p data-hx-post="/admin/delete" data-hx-trigger="load">x</p>',
    '<form action="/admin"><input name="x"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "![x](https://evil.example/x.png)",
    '![x" onerror="alert(1)](https://evil.example/x.png)',
    "![x](javascript:alert(1))",
    "[![x](https://evil.example/x.png)](https://ok.example)",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<a href='https://ok.example' <b onmouseover=alert(1)>x</a>",
    "<img src=x onerror=alert(1)//",
    "＜script＞alert(1)＜/script＞",
    "\u202e<script>alert(1)</script>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    '[x][ok]\n\n[ok]: https://ok.example "t\\" onclick=\\"alert(1)"',
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<template><script>alert(1)</script></template>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<base href="https://evil.example/">',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "# <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" style="position:fixed;inset:0" class="x" id="y">x</a>',
    "[x](https://ok.example){onclick=alert(1)}",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_renders_safely(payload: str) -> None:
    html = render_markdown(payload)
    assert isinstance(html, Markup)
    assert_safe(str(html))
    assert "<img" not in html and "<script" not in html.lower()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_in_a_longer_text_renders_safely(payload: str) -> None:
    assert_safe(str(render_markdown(f"# TOP 1\n\nText *vor* {payload} und nach.\n\n- {payload}")))


def test_corpus_is_large_enough() -> None:
    assert len(XSS_PAYLOADS) >= 30


@pytest.mark.parametrize("text", [None, "", "   \n\t"])
def test_empty_text_renders_nothing(text: str | None) -> None:
    assert render_markdown(text) == Markup("")


def test_plain_paragraphs() -> None:
    assert render_markdown("Erster Absatz.\n\nZweiter Absatz.") == (
        "<p>Erster Absatz.</p>\n<p>Zweiter Absatz.</p>\n"
    )


def test_emphasis_and_strikethrough() -> None:
    html = render_markdown("**fett**, *kursiv* und ~~gestrichen~~")
    assert "<strong>fett</strong>" in html
    assert "<em>kursiv</em>" in html
    assert "<s>gestrichen</s>" in html


def test_lists() -> None:
    html = render_markdown("- Jobcenter\n- Ausländerbehörde\n\n3. drei\n4. vier")
    assert "<ul>\n<li>Jobcenter</li>\n<li>Ausländerbehörde</li>\n</ul>" in html
    assert '<ol start="3">\n<li>drei</li>' in html


def test_link_gets_rel_and_keeps_title() -> None:
    html = render_markdown('[Kreis](https://www.kreis-dueren.de "Kreis Düren")')
    assert parse(str(html)).tags[1][0] == "a"
    assert dict(parse(str(html)).tags[1][1]) == {
        "href": "https://www.kreis-dueren.de",
        "title": "Kreis Düren",
        "rel": "noopener noreferrer nofollow",
    }


def test_mailto_and_relative_links_are_kept() -> None:
    html = render_markdown("<ki@kreis-dueren.de> und [Termine](/meetings/)")
    assert 'href="mailto:ki@kreis-dueren.de"' in html
    assert 'href="/meetings/"' in html


def test_table_without_alignment_styles() -> None:
    html = render_markdown("| Träger | Plätze |\n|:--|--:|\n| Caritas | 3 |")
    assert "<table>" in html
    assert "<th>Träger</th>" in html
    assert "<td>3</td>" in html
    assert "style" not in html


def test_code_block_is_escaped_without_class() -> None:
    html = render_markdown("```python\nif a < b:\n    pass\n```\n\nund `x<y`")
    assert "<pre><code>if a &lt; b:\n    pass\n</code></pre>" in html
    assert "<code>x&lt;y</code>" in html


@pytest.mark.parametrize(
    ("source", "tag"),
    [("# A", "h3"), ("## A", "h4"), ("### A", "h5"), ("#### A", "h6"), ("###### A", "h6")],
)
def test_headings_are_shifted_under_the_page_headings(source: str, tag: str) -> None:
    assert render_markdown(source) == f"<{tag}>A</{tag}>\n"


def test_setext_heading_is_shifted_too() -> None:
    assert render_markdown("Ergebnisse\n==========") == "<h3>Ergebnisse</h3>\n"


def test_blockquote_and_rule() -> None:
    html = render_markdown("> Zitat\n\n---")
    assert "<blockquote>\n<p>Zitat</p>\n</blockquote>" in html
    assert "<hr>" in html


def test_umlauts_survive() -> None:
    assert render_markdown("Größe, Übergänge, Düren, Jülich") == (
        "<p>Größe, Übergänge, Düren, Jülich</p>\n"
    )


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown("Bitte <b>nicht</b> fett")
    assert html == "<p>Bitte &lt;b&gt;nicht&lt;/b&gt; fett</p>\n"
    assert parse(str(html)).tags == [("p", [])]


def test_image_shows_its_alt_text_only() -> None:
    assert render_markdown("![Plan *Raum* 204](https://ok.example/x.png)") == (
        "<p>Plan Raum 204</p>\n"
    )


def test_long_input_is_truncated() -> None:
    html = render_markdown("a" * 100_000 + "ZZZ")
    assert "ZZZ" not in html
    assert html.count("a") == 100_000


# client data warnings


def warnings(text: str) -> list[str]:
    return client_data_warnings(text, today=TODAY)


def test_labels_cover_every_key() -> None:
    assert set(WARNING_LABELS) == {"birth_date", "file_number", "phone", "email"}
    assert str(WARNING_LABELS["phone"]) == "a phone number"


@pytest.mark.parametrize("text", [None, "", "Kurzer Austausch zu TOP 3."])
def test_no_warnings(text: str | None) -> None:
    assert client_data_warnings(text, today=TODAY) == []


def test_several_warnings_are_sorted_and_unique() -> None:
    text = (
        "Frau X, geb. 12.03.1985, Tel. 0171 2345678, x@example.org, Az. 123/45, "
        "y@example.org, 0151/23456789, geboren am 1.1.1990"
    )
    assert warnings(text) == ["birth_date", "email", "file_number", "phone"]


@pytest.mark.parametrize(
    "text",
    [
        "geb. 12.03.1985",
        "Geb. am 12.3.2015",
        "geboren am 1.1.1990",
        "geboren 01.01.2020",
        "Geburtsdatum: 1990-01-01",
        "DOB 1990-01-01",
        "d.o.b. 3/12/1985",
        "born 03/12/1985",
        "born on 12. March 1985",
        "geb. 5. Mai 1970",
        "Kontakt seit 12.03.1985",
        "Person von 1.1.2012",
        "31.12.1900",
    ],
)
def test_birth_date(text: str) -> None:
    assert warnings(text) == ["birth_date"]


@pytest.mark.parametrize(
    "text",
    [
        "Nächstes Treffen am 12.03.2027",
        "Rückmeldung bis 31.12.2026",
        "Protokoll vom 02.02.2013",
        "Stand 1.1.2026, gültig ab 01.01.2027",
        "Zeitraum 2026-01-01 bis 2026-06-30",
        "31.12.1899",
        "31.02.1985",
        "Version 1.2.3.1985",
        "Gebäude 3, Geb. 12",
        "Frau Müller, geb. Schmidt",
        "Jahrgang 1985 war stark vertreten",
    ],
)
def test_not_a_birth_date(text: str) -> None:
    assert "birth_date" not in warnings(text)


def test_birth_date_limit_moves_with_today() -> None:
    assert client_data_warnings("am 01.06.2012", today=date(2026, 1, 1)) == ["birth_date"]
    assert client_data_warnings("am 01.06.2012", today=date(2025, 1, 1)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Aktenzeichen 123/45",
        "Az. 4711-2026",
        "AZ: K-12/2026",
        "az 123",
        "Kundennummer 123D456789",
        "Kunden-Nr.: 98765",
        "Kd.-Nr. 555",
        "BG-Nummer 12345//0012345",
        "BG-Nr. 4711",
        "Vorgangsnummer: V-2026-17",
        "file no. 1234",
        "Case number: 77",
        "AZR-Nummer 123456789012",
        "Bitte 123D456789 prüfen",
        "BG 12345//0012345",
    ],
)
def test_file_number(text: str) -> None:
    assert warnings(text) == ["file_number"]


@pytest.mark.parametrize(
    "text",
    [
        "Die Kundennummer gehört nicht ins Protokoll.",
        "Aktenzeichen werden nicht notiert",
        "TOP 3: Azubis im Handwerk",
        "Raum 204, 2. OG",
        "Kaffee bei Az und Co",
        "Beschluss 2026/3",
    ],
)
def test_not_a_file_number(text: str) -> None:
    assert "file_number" not in warnings(text)


@pytest.mark.parametrize(
    "text",
    [
        "0151 23456789",
        "0171-2345678",
        "0176/23456789",
        "01521 2345678",
        "+49 171 2345678",
        "+49 (0)171 2345678",
        "0049 160 2345678",
        "+491712345678",
        "Tel. 02421 123456",
        "(02421) 22-1234",
        "02421/123456",
        "+49 2421 123456",
        "0221 12345",
    ],
)
def test_phone(text: str) -> None:
    assert warnings(text) == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "TOP 3",
        "Sprechstunde 10:00-12:00",
        "08:00 - 09:30 Uhr",
        "0800-1200",
        "im Jahr 2026",
        "Raum 204",
        "Bismarckstr. 16, 52351 Düren",
        "am 02.03.2026",
        "Zeitraum 2026-03-05",
        "15 Teilnehmende, 170 Plätze",
        "0,5 Stellen",
    ],
)
def test_not_a_phone(text: str) -> None:
    assert "phone" not in warnings(text)


@pytest.mark.parametrize(
    "text",
    ["ki@kreis-dueren.de", "Mail an max.mustermann+kim@mail.example.org.", "jürgen@düren.de"],
)
def test_email(text: str) -> None:
    assert warnings(text) == ["email"]


@pytest.mark.parametrize("text", ["@kreis_dueren", "Treffen @ DIZ", "a@b", "x@localhost"])
def test_not_an_email(text: str) -> None:
    assert "email" not in warnings(text)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "1." * 50_000,
        "12.12." * 17_000,
        "0" * 100_000,
        "0 " * 50_000,
        "0171 " * 20_000,
        "a" * 100_000,
        "a." * 50_000,
        "a@" * 50_000,
        "a@a." * 25_000,
        "geb. " * 20_000,
        "Az. " * 25_000,
        "+49" * 33_000,
        "1-" * 50_000,
        "1/" * 50_000,
    ],
)
def test_warnings_finish_quickly_on_hostile_input(text: str) -> None:
    start = time.perf_counter()
    client_data_warnings(text, today=TODAY)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("text", ["[" * 30_000, "](" * 15_000, "<" * 30_000, "*a" * 15_000])
def test_rendering_finishes_quickly_on_hostile_input(text: str) -> None:
    start = time.perf_counter()
    assert_safe(str(render_markdown(text)))
    assert time.perf_counter() - start < 2
