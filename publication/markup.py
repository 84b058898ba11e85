"""Markdown to sanitised HTML, for what the chair and the secretariat write (pure).

One function serves the public page, the editor's live preview and the diploma, so the
preview shows exactly what will be published. Two locks, because the writers are trusted
but their clipboard is not: markdown-it's "js-default" preset drops raw HTML and unsafe link
schemes, then nh3 keeps only the tags and attributes listed here. No images: nothing a
writer types may load anything from elsewhere on the public site.
"""

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# Swedish typography: ”citat” and ’citat’ (both quotes alike), not English “curly” pairs.
_markdown = MarkdownIt("js-default", {"typographer": True, "quotes": "””’’"}).enable(
    ["replacements", "smartquotes"]
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "h2", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}


def render_markdown(text: str) -> SafeString:
    """The writer's Markdown as HTML that can neither run script nor load anything."""
    rendered = _markdown.render(text or "")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just cleaned it


def plain_text(text: str) -> str:
    """The Markdown's words without markup, for feeds' summaries, meta tags and e-mails."""
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
