from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.my_filings, name="mine"),
    path("new/", views.choose, name="new"),
    path("new/<slug:kind>/", views.new_filing, name="new_filing"),
    path("inbox/", views.inbox, name="inbox"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("disclosures/<int:pk>/mark/", views.mark_disclosure, name="disclosure_mark"),
    path("<int:pk>/", views.filing_detail, name="filing"),
    path("<int:pk>/edit/", views.edit_filing, name="edit"),
    path("<int:pk>/submit/", views.submit_filing, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw_filing, name="withdraw"),
    path("<int:pk>/decide/", views.decide_filing, name="decide"),
    path("<int:pk>/request-info/", views.request_info, name="request_info"),
    path("<int:pk>/answer/", views.answer_filing, name="answer"),
    path("<int:pk>/renew/", views.renew_filing, name="renew"),
    path("<int:pk>/reconfirm/", views.reconfirm_filing, name="reconfirm"),
]
