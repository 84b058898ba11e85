from django.urls import include, path

from subscriptions import views

app_name = "subscriptions"

# Subscribing to the news: asked for, then confirmed from the e-mail.
subscribe_patterns = [
    path("", views.subscribe, name="subscribe"),
    path("sent/", views.subscribe_sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]

urlpatterns = [
    path("subscribe/", include(subscribe_patterns)),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
