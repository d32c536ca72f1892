from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.board, name="board"),
    path("meetings/", views.meeting_add, name="meeting_add"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/letter/", views.case_letter, name="case_letter"),
    path("related-party/", views.register, name="register"),
    path("related-party/new/", views.rpt_new, name="rpt_new"),
    path("related-party/<int:pk>/", views.rpt_detail, name="rpt"),
    path("related-party/<int:pk>/approve/", views.rpt_approve, name="rpt_approve"),
]
