from django.urls import path

from certifications import hr_views, verify_views, views

urlpatterns = [
    path("", views.my_certificates, name="cert_mine"),
    path("<int:obligation_id>/", views.obligation_sign, name="cert_sign"),
    path("<int:obligation_id>/read/", views.obligation_read, name="cert_read"),
    path("<int:obligation_id>/certificate.pdf", views.certificate_download, name="cert_download"),
    # Public: no login.
    path("verify/", verify_views.verify, name="cert_verify"),
    path("verify/<str:number>/", verify_views.verify_number, name="cert_verify_number"),
    # HR.
    path("campaigns/", hr_views.campaign_list, name="cert_campaigns"),
    path("campaigns/new/", hr_views.campaign_new, name="cert_campaign_new"),
    path("campaigns/<int:campaign_id>/", hr_views.campaign_detail, name="cert_campaign"),
    path("campaigns/<int:campaign_id>/close/", hr_views.campaign_close_view, name="cert_campaign_close"),
    path("campaigns/<int:campaign_id>/export/", hr_views.campaign_export, name="cert_campaign_export"),
    path("exports/<int:job_id>/", hr_views.export_detail, name="cert_export"),
    path("exports/<int:job_id>/progress/", hr_views.export_progress, name="cert_export_progress"),
    path("exports/<int:job_id>/download/", hr_views.export_download, name="cert_export_download"),
]
