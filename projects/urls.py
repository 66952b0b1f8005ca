from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/grid/", views.status_grid, name="grid"),
    path("plan/", views.plan_tree, name="plan_tree"),
    path("projects/", views.ProjectListView.as_view(), name="list"),
    path("projects/<str:code>/", views.project_detail, name="detail"),
    path("projects/<str:code>/plans/<int:year>/", views.plan_page, name="plan"),
    path(
        "projects/<str:code>/reports/<int:year>/<int:quarter>/",
        views.report_page,
        name="report",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("my/", views.my_work, name="my"),
    path("review/", views.review_queue, name="review"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("public/", views.public_page, name="public"),
    path("export/workbook.xlsx", views.workbook_download, name="workbook"),
    path("import/", views.import_page, name="import"),
    path("import/template/reports.xlsx", views.report_template_download, name="report_template"),
    path("import/template/plan.xlsx", views.plan_template_download, name="plan_template"),
]
