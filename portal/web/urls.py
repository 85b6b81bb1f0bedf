from django.urls import path

from portal.web import (
    bundles,
    campaigns,
    captures,
    exhibits,
    imports,
    listings,
    networks,
    purchases,
    submissions,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("matters/<str:reference>/", views.matter_detail, name="matter_detail"),
    path("matters/<str:reference>/exhibits/", exhibits.exhibit_create, name="exhibit_create"),
    path("matters/<str:reference>/purchases/", purchases.purchase_create, name="purchase_create"),
    path("exhibits/<int:pk>/download/", exhibits.exhibit_download, name="exhibit_download"),
    path("matters/<str:reference>/bundles/", bundles.bundle_create, name="bundle_create"),
    path("bundles/<int:pk>/status/", bundles.bundle_status, name="bundle_status"),
    path("bundles/<int:pk>/download/", bundles.bundle_download, name="bundle_download"),
    path("matters/<str:reference>/submissions/", submissions.submission_create, name="submission_create"),
    path("outcomes/<int:pk>/", submissions.outcome_record, name="outcome_record"),
    path("matters/<str:reference>/listings/", listings.listing_list, name="listing_list"),
    path(
        "matters/<str:reference>/listings/export.<str:file_format>",
        listings.listing_export,
        name="listing_export",
    ),
    path("matters/<str:reference>/listings/import/", imports.listing_import_new, name="listing_import_new"),
    path("imports/<int:pk>/", imports.listing_import_detail, name="listing_import_detail"),
    path("imports/<int:pk>/run/", imports.listing_import_start, name="listing_import_start"),
    path("matters/<str:reference>/campaigns/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/complaints/<int:number>.txt", campaigns.complaint_items, name="complaint_items"),
    path("campaigns/<int:pk>/complaints/<int:number>/filed/", campaigns.complaint_filed, name="complaint_filed"),
    path("campaigns/<int:pk>/complaints/<int:number>/answers/", campaigns.complaint_answers, name="complaint_answers"),
    path(
        "matters/<str:reference>/listings/<int:listing_pk>/capture/",
        captures.capture_listing,
        name="capture_listing",
    ),
    path("matters/<str:reference>/captures/", captures.capture_selection, name="capture_selection"),
    path("captures/<int:pk>/", captures.capture_detail, name="capture_detail"),
    path("captures/<int:pk>/identifiers/", captures.capture_identifier_record, name="capture_identifier_record"),
    path("sellers/<int:pk>/network/", networks.seller_network_page, name="seller_network"),
    path("sellers/<int:pk>/identifiers/", networks.seller_identifier_new, name="seller_identifier_new"),
    path("seller-links/<int:pk>/decision/", networks.seller_link_decision, name="seller_link_decision"),
    path("sellers/<int:pk>/dossiers/", networks.dossier_new, name="dossier_new"),
    path("dossiers/<int:pk>/download/", networks.dossier_download, name="dossier_download"),
    path("staff/", views.staff_queue, name="staff_queue"),
]
