from django.urls import path

from portal import security

app_name = "security"

urlpatterns = [
    path("verify/", security.verify, name="verify"),
    path("two-factor/", security.enrol, name="enrol"),
    path("two-factor/qr.svg", security.enrol_qr, name="enrol_qr"),
]
