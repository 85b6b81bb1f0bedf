from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from portal import pki_views, views
from portal.web import verify

# The admin asks for a two-factor code on its own login form and admits only OTP-verified staff.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "IP Enforcement Evidence Portal"
admin.site.site_title = "Evidence Portal"
admin.site.index_title = "Firm administration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("verify/", verify.verify, name="verify_bundle"),
    path("pki/ca.crt", pki_views.ca_certificate, name="pki_ca_certificate"),
    path("pki/ca.crl", pki_views.certificate_revocation_list, name="pki_crl"),
    path("pki/ocsp", pki_views.ocsp, name="pki_ocsp"),
    path("pki/ocsp/<path:encoded>", pki_views.ocsp, name="pki_ocsp_get"),
    path("accounts/", include("portal.web.account_urls")),
    path("security/", include("portal.security_urls")),
    path("api/v1/", include("portal.api.urls")),
    path("", include("portal.web.urls")),
]
handler500 = "portal.outages.server_error"
