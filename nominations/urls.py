from django.urls import path

from nominations.views import nominator, public, screening

app_name = "nominations"

urlpatterns = [
    path("call/", public.call_for_nominations, name="call"),
    path("nominations/", nominator.my_nominations, name="mine"),
    path("nominations/new/", nominator.create_nomination, name="create"),
    path("nominations/<int:pk>/", nominator.nomination_detail, name="detail"),
    path("nominations/<int:pk>/edit/", nominator.edit_nomination, name="edit"),
    path("nominations/<int:pk>/autosave/", nominator.autosave_nomination, name="autosave"),
    path("nominations/<int:pk>/withdraw/", nominator.withdraw_nomination, name="withdraw"),
    path(
        "nominations/<int:pk>/attachments/<int:attachment_pk>/",
        nominator.download_attachment,
        name="attachment",
    ),
    path("screening/", screening.screening_list, name="screening_list"),
    path("screening/export.<str:file_format>", screening.screening_export, name="screening_export"),
    path("screening/complete/", screening.complete_screening, name="screening_complete"),
    path("screening/<int:pk>/", screening.screening_detail, name="screening_detail"),
    path("screening/<int:pk>/pdf/", screening.nomination_pdf, name="nomination_pdf"),
]
