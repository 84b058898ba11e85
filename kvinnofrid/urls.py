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
    path("signin/", views.sign_in, name="sign_in"),
    path("signin/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("signin/code/", views.two_factor_verify, name="two_factor_verify"),
    path("signin/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("signin/<str:token>/", views.sign_in_confirm, name="sign_in_confirm"),
    path("signout/", views.sign_out, name="sign_out"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("session/", views.session_status, name="session_status"),
    path("", include("nominations.urls")),
    path("jury/", include("jury.urls")),
    path("prize/", include("publication.urls")),
    path("", include("subscriptions.urls")),
    path("privacy/", include("privacy.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
