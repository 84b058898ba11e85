from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kvinnofrid import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

# Swedish lives at the root, English under /en/: a link keeps its language when shared.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("start/", views.landing, name="landing"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("", include("accounts.urls")),
    path("", include("nominations.urls")),
    path("jury/", include("jury.urls")),
    path("prize/", include("publication.urls")),
    path("", include("subscriptions.urls")),
    path("privacy/", include("privacy.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
