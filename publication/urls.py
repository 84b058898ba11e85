from django.urls import path

from publication import views

app_name = "publication"

urlpatterns = [
    path("", views.announcement_list, name="announcement_list"),
    path("<int:year>/", views.announcement_detail, name="announcement_detail"),
]
