from django.urls import path

from awards import views

# Every view here is a staff page (settings.STAFF_URL_NAMESPACES): check associations.E003.
app_name = "awards_staff"

urlpatterns = [
    path("", views.board, name="board"),
    path("to-trinh/xet/", views.decide, name="decide"),
    path("to-trinh/<int:proposal_id>/tra-lai/", views.proposal_return, name="proposal_return"),
    path("to-trinh/<int:proposal_id>/gui-lai/", views.proposal_resubmit, name="proposal_resubmit"),
    path("quyet-dinh/<int:award_id>/", views.award_page, name="award"),
    path("quyet-dinh/<int:award_id>/pdf/", views.award_pdf, name="award_pdf"),
    path("quyet-dinh/<int:award_id>/word/", views.award_docx, name="award_docx"),
    path("quyet-dinh/<int:award_id>/giay-khen/", views.award_certificates, name="certificates"),
    path("quyet-dinh/<int:award_id>/ban-hanh/", views.award_issue, name="award_issue"),
    path("quyet-dinh/<int:award_id>/danh-sach.xlsx", views.recipients_xlsx, name="recipients_xlsx"),
    path(
        "quyet-dinh/<int:award_id>/nhap-danh-sach/",
        views.recipients_import,
        name="recipients_import",
    ),
    path(
        "quyet-dinh/<int:award_id>/nhap-danh-sach/<int:job_id>/",
        views.import_job,
        name="import_job",
    ),
    path(
        "quyet-dinh/<int:award_id>/nhap-danh-sach/<int:job_id>/ghi/",
        views.import_confirm,
        name="import_confirm",
    ),
    path(
        "quyet-dinh/<int:award_id>/nhap-danh-sach/<int:job_id>/dong-loi.xlsx",
        views.import_failed_rows,
        name="import_failed_rows",
    ),
    path("mau-danh-sach.xlsx", views.import_template, name="import_template"),
    path("mau-in/<str:form>/luoi/", views.certificate_grid, name="certificate_grid"),
]
