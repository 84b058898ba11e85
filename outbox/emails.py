"""Building e-mails from templates/emails/<name>_subject.txt, _body.txt and _body.html."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, context: dict, language: str) -> RenderedEmail:
    """Render one message in the recipient's language."""
    full_context = {"site_url": settings.SITE_URL, "LANGUAGE_CODE": language, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", full_context)
        text = render_to_string(f"emails/{template}_body.txt", full_context)
        html = render_to_string(f"emails/{template}_body.html", full_context)
    # A subject is one line, whatever the template's whitespace.
    return RenderedEmail(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)
