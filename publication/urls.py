from django.urls import path

from nominations.page_cache import public_page
from publication import views
from publication.feeds import NewsFeed

app_name = "publication"

urlpatterns = [
    path("", views.announcement_list, name="announcement_list"),
    path("feed/", public_page(NewsFeed()), name="feed"),
    path("<int:year>/", views.announcement_detail, name="announcement_detail"),
    path("<int:year>/diploma.pdf", views.diploma, name="diploma"),
    path("<int:year>/photo/", views.photo, name="photo"),
    # The secretariat's view of the year.
    path("overview/", views.current_year_overview, name="current_year_overview"),
    path("<int:year>/overview/", views.year_overview, name="year_overview"),
    # The writers' pages: the chair and the secretariat.
    path("<int:year>/announcement/", views.announcement_edit, name="announcement_edit"),
    path("<int:year>/announcement/preview/", views.announcement_preview, name="preview"),
    path("<int:year>/announcement/approve/", views.announcement_approve, name="approve"),
    path("<int:year>/announcement/schedule/", views.announcement_schedule, name="schedule"),
    path("<int:year>/announcement/publish/", views.announcement_publish_now, name="publish_now"),
]
