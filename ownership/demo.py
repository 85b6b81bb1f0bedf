"""Demo data of the ownership app, created by ``manage.py seed_demo``. Every function is idempotent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ownership.choices import Authorship, DocumentType
from ownership.demo_pdf import demo_pdf, demo_scan
from ownership.models import IPRight, Membership, OwnershipDocument, RightsHolder
from ownership.services import firm_staff_group_ensure, ip_right_create, ownership_document_upload
from ownership.shared import access
from ownership.shared.users import User

DEMO_PASSWORD_STAFF = "demo-staff-2026"
DEMO_PASSWORD_CLIENT = "demo-client-2026"


# What the demo's scanned certificates show. The US one is deliberately wrong (VA 2-123-465 for VA 2-123-456):
# the certificate cross-check flags it on LUM-2026-001's proof of ownership.
US_CERTIFICATE_SCAN = [
    "Certificate of Registration", "United States Copyright Office", "Registration Number VA 2-123-465",
    "Title of Work: Aurora desk lamp (sculptural work)", "Copyright Claimant: Lumina Design Ltd",
    "Effective Date of Registration: January 10, 2022",
]  # fmt: skip
LUMINA_CN_CERTIFICATE_SCAN = [
    "商标注册证", "第 41234567 号", "注册人 Lumina Design Ltd", "核定使用商品 第11类 台灯 照明器械",
    "注册有效期限 2020年6月7日至2030年6月6日",
]  # fmt: skip
BRIGHTPEAK_CN_CERTIFICATE_SCAN = [
    "商标注册证", "第 38123456 号", "注册人 深圳明峰音频有限公司", "核定使用商品 第9类 耳机 头戴式耳机",
    "注册有效期限 2019年11月14日至2029年11月13日",
]  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    totp_uri: str = ""  # staff only: the two-factor device to add to an authenticator app


def seed_staff() -> tuple[User, DemoLogin]:
    group = firm_staff_group_ensure()
    staff = _user("paralegal@harcourt-vale.example", "Priya Shah", DEMO_PASSWORD_STAFF, is_staff=True)
    staff.groups.add(group)
    # The demo has one staff member playing every part, the firm's reviewing and signing lawyer included.
    if not staff.job_title:
        staff.job_title = "Solicitor (demonstration)"
        staff.save(update_fields=["job_title"])
    app_label, codename = access.NOTICE_WORDING_REVIEW.split(".")
    staff.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
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
            "member": ("claire@lumina-design.example", "Claire Donnelly", "Director"),
        },
        {
            "name": "Shenzhen Brightpeak Audio Co., Ltd.",
            "name_local": "深圳明峰音频有限公司",
            "code": "BPA",
            "country": "CN",
            "address": "广东省深圳市南山区科技园南区 8 栋",
            "company_number": "91440300MA5F0XXX1K",
            "member": ("wei.zhang@brightpeak.example", "Zhang Wei", "Legal representative (法定代表人)"),
        },
    ]
    holders, logins = [], []
    for spec in specs:
        email, full_name, title = spec.pop("member")
        holder, _ = RightsHolder.objects.update_or_create(code=spec["code"], defaults=spec)
        member = _user(email, full_name, DEMO_PASSWORD_CLIENT, is_staff=False)
        Membership.objects.get_or_create(
            user=member, rights_holder=holder, defaults={"role": Membership.Role.SIGNATORY, "title": title}
        )
        holders.append(holder)
        logins.append(DemoLogin(f"client of {holder.name}", member.email, DEMO_PASSWORD_CLIENT))
        seed_proof(holder)
    return holders, logins


def seed_proof(holder: RightsHolder) -> None:
    """The demo rights and their documents, so the readiness report shows both states.

    Lumina (GB): a UK unregistered copyright with creation and employment evidence but no signed statement
    (not ready), a US VA registration (ready) and its Chinese mark (ready). Brightpeak (CN): a Chinese mark
    whose certificate is in Chinese with an English translation (ready).
    """
    today = timezone.localdate()
    authority = {"issued_on": today - datetime.timedelta(days=200), "expires_on": today + datetime.timedelta(days=530)}
    if holder.code == "LUM":
        drawings = _right(
            holder, "GB", "copyright", "Aurora desk lamp: design drawings and 3D model",
            status=IPRight.Status.UNREGISTERED, creation_date=datetime.date(2021, 3, 15), authors="Claire Donnelly",
            authorship=Authorship.EMPLOYEE, first_publication_date=datetime.date(2021, 9, 1),
            first_publication_place="London Design Fair, United Kingdom",
        )  # fmt: skip
        _document(
            drawings, DocumentType.CREATION_EVIDENCE, "Dated sketches and CAD files of the Aurora lamp, March 2021"
        )
        _document(drawings, DocumentType.EMPLOYMENT_EVIDENCE, "Employment contract of Claire Donnelly, Head of Design")
        _document(drawings, DocumentType.COPYRIGHT_CLAIM_STATEMENT, "IPP Copyright Claim Statement for the Aurora "
                  "drawings", signatory=("Claire Donnelly", "Director"))  # fmt: skip
        sculpture = _right(
            holder, "US", "copyright", "Aurora desk lamp (sculptural work)", registration_number="VA 2-123-456",
            registration_date=datetime.date(2022, 1, 10), first_publication_date=datetime.date(2021, 9, 1),
            authors="Claire Donnelly",
        )  # fmt: skip
        # Deliberately wrong: the scan shows VA 2-123-465, so the cross-check flags it against VA 2-123-456.
        _document(sculpture, DocumentType.REGISTRATION_CERTIFICATE, "US Copyright Office certificate VA 2-123-456",
                  scan=US_CERTIFICATE_SCAN)  # fmt: skip
        mark = _right(
            holder, "CN", "trademark", "AURORA (word and device)", registration_number="41234567",
            registration_date=datetime.date(2020, 6, 7), nice_classes=[11],
            goods_services="Desk lamps; lighting apparatus",
        )  # fmt: skip
        _translated(mark, DocumentType.REGISTRATION_CERTIFICATE, "CNIPA registration certificate no. 41234567",
                    scan=LUMINA_CN_CERTIFICATE_SCAN)  # fmt: skip
        _translated(mark, DocumentType.CERTIFICATE_PAGES, "Class 11 goods page of registration no. 41234567")
        _document(None, DocumentType.POWER_OF_ATTORNEY, f"Letter of authorisation for {settings.PORTAL_FIRM_NAME}",
                  holder=holder, signatory=("Claire Donnelly", "Director"), **authority)  # fmt: skip
        _document(None, DocumentType.IDENTITY_DOCUMENT, "Certificate of incorporation, company no. 08123456",
                  holder=holder)  # fmt: skip
    elif holder.code == "BPA":
        mark = _right(
            holder, "CN", "trademark", "BRIGHTPEAK 明峰", registration_number="38123456",
            registration_date=datetime.date(2019, 11, 14), nice_classes=[9],
            goods_services="Earphones; headphones; wireless speakers; charging cases for earphones",
            owner_name="深圳明峰音频有限公司",
        )  # fmt: skip
        _translated(mark, DocumentType.REGISTRATION_CERTIFICATE, "商标注册证 第38123456号 (CNIPA certificate)",
                    scan=BRIGHTPEAK_CN_CERTIFICATE_SCAN)  # fmt: skip
        _document(mark, DocumentType.CERTIFICATE_PAGES, "核定使用商品 第9类 (class 9 goods page)", language="zh")
        _document(None, DocumentType.POWER_OF_ATTORNEY, "授权委托书 (letter of authorisation), company seal",
                  holder=holder, language="zh", signatory=("Zhang Wei", "Legal representative"),
                  **authority)  # fmt: skip
        _document(None, DocumentType.IDENTITY_DOCUMENT, "营业执照 (business licence) 91440300MA5F0XXX1K",
                  holder=holder, language="zh")  # fmt: skip


def _right(holder: RightsHolder, jurisdiction: str, kind: str, title: str, **fields) -> IPRight:
    existing = IPRight.objects.filter(rights_holder=holder, jurisdiction=jurisdiction, kind=kind, title=title).first()
    fields.setdefault("owner_name", holder.name)
    return existing or ip_right_create(
        rights_holder=holder, kind=kind, jurisdiction=jurisdiction, title=title, **fields
    )


def _document(
    right: IPRight | None,
    doc_type: str,
    description: str,
    *,
    holder: RightsHolder | None = None,
    language: str = "en",
    signatory: tuple[str, str] | None = None,
    translation_of: OwnershipDocument | None = None,
    scan: list[str] | None = None,
    **fields,
) -> OwnershipDocument:
    """A demo document: a generated PDF, or with ``scan`` a picture of those lines that OCR has to read."""
    holder = holder or right.rights_holder
    existing = OwnershipDocument.objects.filter(rights_holder=holder, right=right, description=description).first()
    if existing:
        return existing
    if signatory:
        fields.update(is_signed=True, signatory_name=signatory[0], signatory_title=signatory[1])
    member = Membership.objects.filter(rights_holder=holder).select_related("user").order_by("pk").first()
    return ownership_document_upload(
        rights_holder=holder,
        right=right,
        uploaded_by=member.user if member else None,  # the client's member sends the demo's proof
        doc_type=doc_type,
        description=description,
        language=language,
        translation_of=translation_of,
        upload=ContentFile(demo_scan(scan) if scan else _pdf(description, holder, language), name="scan.pdf"),
        **fields,
    )


def _translated(right: IPRight, doc_type: str, description: str, scan: list[str] | None = None) -> None:
    original = _document(right, doc_type, description, language="zh", scan=scan)
    _document(right, DocumentType.TRANSLATION, f"English translation: {description}", translation_of=original)


def _pdf(title: str, holder: RightsHolder, language: str) -> bytes:
    """A stand-in document whose text is in the language recorded for it (the cross-checks read it)."""
    if language == "zh":
        lines = [f"权利人：{holder.name_local or holder.name}", "演示文件，由 seed_demo 生成，仅供演示使用。"]
        return demo_pdf(title, lines)
    return demo_pdf(title, [f"Rights holder: {holder.name}", "Demo document generated by seed_demo."])


def _user(email: str, full_name: str, password: str, *, is_staff: bool) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "is_staff": is_staff})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
