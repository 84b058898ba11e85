"""What a writer types can neither run script nor load anything on the public site."""

from html.parser import HTMLParser

from publication import services
from publication.markup import ALLOWED_TAGS, plain_text, render_markdown
from tests.publication.conftest import approve_both

HOSTILE = """Ett stycke med <script>alert("x")</script> i.

<img src="x" onerror="alert(1)">

[klicka här](javascript:alert(1)) och [här](JAVASCRIPT:alert(2))

![bild](https://evil.example/pixel.png)

<a href="https://evil.example" onclick="steal()">länk</a>

<iframe src="https://evil.example"></iframe><style>body{display:none}</style>
"""


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def _assert_harmless(html: str) -> None:
    elements = _Elements(html)
    assert elements.tags <= ALLOWED_TAGS
    assert not elements.tags & {"script", "img", "iframe", "style", "object", "embed"}
    for tag, name, value in elements.attributes:
        assert (tag, name) == ("a", "href") or name == "rel", (tag, name)
        if name == "href":
            assert value.startswith(("https:", "http:", "mailto:")), value


def test_hostile_markdown_is_rendered_harmless():
    html = render_markdown(HOSTILE)

    _assert_harmless(html)
    # What was typed is shown as text, not thrown away silently.
    assert "&lt;script&gt;" in html


def test_markdown_keeps_what_a_citation_needs():
    html = render_markdown(
        'Ett **starkt** och *långsiktigt* arbete, "med samverkan".\n\n'
        "- polisen\n- socialtjänsten\n\n[Läs mer](https://www.lansstyrelsen.se/)"
    )

    assert "<strong>starkt</strong>" in html
    assert "<em>långsiktigt</em>" in html
    assert "”med samverkan”" in html
    assert "<li>polisen</li>" in html
    assert '<a href="https://www.lansstyrelsen.se/" rel="noopener noreferrer nofollow">' in html


def test_plain_text_drops_the_markup_and_keeps_the_characters():
    assert plain_text("Ett **starkt** arbete & <b>mer</b>") == "Ett starkt arbete & <b>mer</b>"


def test_a_hostile_citation_on_the_published_page_is_harmless_and_the_csp_holds(client, decided):
    announcement = approve_both(decided, citation=HOSTILE)
    services.publish_due_announcements(now=decided.edition.announcement_at)

    response = client.get(f"/prize/{announcement.edition.year}/")

    html = response.content.decode()
    start = html.index('<blockquote class="blockquote" lang="sv">')
    citation = html[start : html.index("</blockquote>", start)].split(">", 1)[1]
    _assert_harmless(citation)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # Every script on the page is a file of ours; no inline script slipped through.
    assert "<script>" not in html


def test_the_live_preview_is_the_same_sanitiser(client, decided):
    client.force_login(decided.chair)

    response = client.post(
        f"/prize/{decided.edition.year}/announcement/preview/", {"text": HOSTILE}
    )

    assert response.status_code == 200
    assert response.content.decode() == render_markdown(HOSTILE)
