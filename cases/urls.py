from django.urls import path

from cases.views import case, holds, intake, queue
from policy.routing import FilingKind

urlpatterns = [
    path("report/", intake.report_new, name="report_new"),
    path("ask/", intake.report_new, {"kind": FilingKind.QUESTION}, name="question_new"),
    path("report/follow-up/", intake.follow_up, name="follow_up"),
    path("cases/", queue.queue_view, name="queue"),
    path("cases/bulk-assign/", queue.bulk_assign, name="bulk_assign"),
    path("cases/filters/", queue.filter_save, name="filter_save"),
    path("cases/filters/<int:pk>/delete/", queue.filter_delete, name="filter_delete"),
    path("cases/register.csv", queue.register_csv, name="register_csv"),
    path("cases/holds/", holds.holds, name="holds"),
    path("cases/holds/<int:pk>/release/", holds.hold_release_view, name="hold_release"),
    path("cases/<int:pk>/", case.case_detail, name="case_detail"),
    path("cases/<int:pk>/pdf/", case.case_pdf, name="case_pdf"),
    path("cases/<int:pk>/files/<int:attachment_id>/", case.attachment_download, name="attachment_download"),
    path("cases/<int:pk>/<slug:action>/", case.case_action, name="case_action"),
]
