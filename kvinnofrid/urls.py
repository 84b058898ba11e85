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
    path("prize/", include("publication.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
