from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signin/", views.sign_in, name="sign_in"),
    path("signin/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("signin/code/", views.two_factor_verify, name="two_factor_verify"),
    path("signin/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("signin/<str:token>/", views.sign_in_confirm, name="sign_in_confirm"),
    path("signout/", views.sign_out, name="sign_out"),
    path("session/", views.session_status, name="session_status"),
]
