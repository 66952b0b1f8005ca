from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("plan/", views.plan_tree, name="plan"),
]
