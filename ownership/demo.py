"""Demo data of the ownership app, created by ``manage.py seed_demo``. Every function is idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from ownership.models import Membership, RightsHolder, User

DEMO_PASSWORD_STAFF = "demo-staff-2026"
DEMO_PASSWORD_CLIENT = "demo-client-2026"

FIRM_STAFF_GROUP = "Firm staff"
FIRM_STAFF_APPS = ("ownership", "evidence", "portal")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    totp_uri: str = ""  # staff only: the two-factor device to add to an authenticator app


def seed_staff() -> tuple[User, DemoLogin]:
    group, _ = Group.objects.get_or_create(name=FIRM_STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=FIRM_STAFF_APPS))
    staff = _user("paralegal@harcourt-vale.example", "Priya Shah", DEMO_PASSWORD_STAFF, is_staff=True)
    staff.groups.add(group)
    device, _ = TOTPDevice.objects.get_or_create(user=staff, name="Demo authenticator", defaults={"confirmed": True})
    return staff, DemoLogin("firm staff", staff.email, DEMO_PASSWORD_STAFF, totp_uri=device.config_url)


def seed_rights_holders() -> tuple[list[RightsHolder], list[DemoLogin]]:
    specs = [
        {
            "name": "Lumina Design Ltd",
            "code": "LUM",
            "country": "GB",
            "address": "14 Clerkenwell Green, London EC1R 0DP, United Kingdom",
            "company_number": "08123456",
            "member": ("claire@lumina-design.example", "Claire Donnelly"),
        },
        {
            "name": "Shenzhen Brightpeak Audio Co., Ltd.",
            "name_local": "深圳明峰音频有限公司",
            "code": "BPA",
            "country": "CN",
            "address": "广东省深圳市南山区科技园南区 8 栋",
            "company_number": "91440300MA5F0XXX1K",
            "member": ("wei.zhang@brightpeak.example", "Zhang Wei"),
        },
    ]
    holders, logins = [], []
    for spec in specs:
        email, full_name = spec.pop("member")
        holder, _ = RightsHolder.objects.update_or_create(code=spec["code"], defaults=spec)
        member = _user(email, full_name, DEMO_PASSWORD_CLIENT, is_staff=False)
        Membership.objects.get_or_create(user=member, rights_holder=holder, defaults={"role": Membership.Role.MANAGER})
        holders.append(holder)
        logins.append(DemoLogin(f"client of {holder.name}", member.email, DEMO_PASSWORD_CLIENT))
    return holders, logins


def _user(email: str, full_name: str, password: str, *, is_staff: bool) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "is_staff": is_staff})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
