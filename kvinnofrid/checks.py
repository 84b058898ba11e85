"""System checks for configuration that Django's own checks do not cover."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_services(app_configs, **kwargs):
    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(
            Warning(
                "Production should run on PostgreSQL: set DATABASE_URL.",
                id="kvinnofrid.W001",
            )
        )
    if not settings.REDIS_URL:
        problems.append(
            Warning(
                "Without REDIS_URL, Celery uses the embedded file-system broker, "
                "which is meant for one machine and for demonstrations.",
                id="kvinnofrid.W002",
            )
        )
    if settings.SITE_URL.startswith("http://") and settings.HTTPS:
        problems.append(
            Warning(
                "SITE_URL uses http:// while HTTPS is on: links in e-mails would be insecure.",
                id="kvinnofrid.W003",
            )
        )
    return problems


@register()
def check_site_url(app_configs, **kwargs):
    if not settings.SITE_URL.startswith(("http://", "https://")):
        return [
            Error(
                "SITE_URL must be an absolute http(s) URL; e-mails link to it.",
                id="kvinnofrid.E001",
            )
        ]
    return []
