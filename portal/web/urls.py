from django.urls import path

from portal.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("matters/<str:reference>/", views.matter_detail, name="matter_detail"),
    path("staff/", views.staff_queue, name="staff_queue"),
]
