from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from portal.api import files, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("matters/", views.matter_list, name="matter_list"),
    path("matters/<str:reference>/", views.matter_detail, name="matter_detail"),
    path("matters/<str:reference>/listings/", views.listing_list, name="listing_list"),
    path("matters/<str:reference>/listings/intake/", views.listing_intake, name="listing_intake"),
    path("matters/<str:reference>/exhibits/", files.exhibit_create, name="exhibit_create"),
    path("matters/<str:reference>/bundles/", files.bundle_list, name="bundle_list"),
    path("bundles/<int:pk>/download/", files.bundle_download, name="bundle_download"),
    path("reports/", files.report_list, name="report_list"),
    path("reports/<int:pk>/download/", files.report_download, name="report_download"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/outcomes/", views.complaint_outcomes, name="complaint_outcomes"),
    path("results/", views.results, name="results"),
    # Any other path under the API: a JSON 404, not the site's HTML page.
    re_path(r"", views.not_found, name="not_found"),
]
