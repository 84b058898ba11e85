from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/extract.<str:file_format>", views.my_data_download, name="my_data_download"),
    path("personal-data/", views.staff_personal_data, name="staff"),
]
