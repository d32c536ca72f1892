from django.urls import path

from insiders import views

app_name = "insiders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("preclearance/new/", views.request_new, name="request_new"),
    path("preclearance/", views.inbox, name="inbox"),
    path("preclearance/<int:pk>/", views.request_detail, name="request"),
    path("preclearance/<int:pk>/decide/", views.request_decide, name="decide"),
    path("preclearance/<int:pk>/report/", views.request_report, name="report"),
    path("lists/<int:pk>/", views.entry_detail, name="entry"),
    path("lists/<int:pk>/acknowledge/", views.entry_acknowledge, name="acknowledge"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/add/", views.project_add, name="project_add"),
    path("projects/<int:pk>/close/", views.project_close, name="project_close"),
    path("projects/<int:pk>/window/", views.project_window, name="project_window"),
    path("projects/<int:pk>/export.csv", views.project_export, name="project_export"),
    path("windows/", views.windows, name="windows"),
    path("windows/quarterly/", views.window_new, name="window_new"),
]
