"""Who may see what: the one place the portal's access rules live.

Firm staff (active Django staff users) see every client's data. A client user sees the rights holders
they are a member of and everything below them. Anyone else sees nothing. Querysets ask these
functions through their ``visible_to(user)`` methods; views, forms, downloads, the admin and tasks
resolve objects through those querysets only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ownership.shared.choices import MemberRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ownership.shared.users import User


def is_firm_staff(user: User | AnonymousUser | Any) -> bool:
    """An authenticated, active staff user of the law firm."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def is_client_user(user: User | AnonymousUser | Any) -> bool:
    """An authenticated, active user who is not firm staff (a member of a rights holder, or nobody)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and not getattr(user, "is_staff", False)
    )


def is_verified_staff(user: User | AnonymousUser | Any) -> bool:
    """Firm staff who have also passed two-factor verification (django-otp) in this session.

    Staff pages and the admin require this; a staff password alone opens nothing but the token-entry page.
    """
    is_verified = getattr(user, "is_verified", None)
    return is_firm_staff(user) and callable(is_verified) and bool(is_verified())


# Firm staff get their admin permissions from one group: every permission of the portal's own apps (the
# users included, which belong to ``ownership``). Superusers are for the firm's administrators only.
FIRM_STAFF_GROUP = "Firm staff"
FIRM_STAFF_APPS = ("ownership", "evidence", "portal")
# Permissions the group withholds: each is given to the named people qualified for it.
NOTICE_WORDING_REVIEW = (
    "portal.review_notice_wording"  # a lawyer (and translator) approves notice and statement wording
)
FIRM_STAFF_WITHHELD = (NOTICE_WORDING_REVIEW,)

# Who among a rights holder's members may add evidence; viewers only read.
UPLOADING_ROLES = (MemberRole.SIGNATORY, MemberRole.MANAGER, MemberRole.CONTRIBUTOR)
# Who may sign statements for the rights holder: never staff, who act for the client but cannot sign as it.
SIGNING_ROLES = (MemberRole.SIGNATORY,)


def can_upload_evidence(user: User | AnonymousUser | Any, rights_holder_id: int) -> bool:
    """Staff, and the rights holder's managers and contributors."""
    if is_firm_staff(user):
        return True
    return (
        is_client_user(user)
        and cast("User", user).memberships.filter(rights_holder_id=rights_holder_id, role__in=UPLOADING_ROLES).exists()
    )


def can_review_notice_wording(user: User | AnonymousUser | Any) -> bool:
    """Staff given the review permission one by one (the firm-staff group withholds it). The pages that offer
    the review are for verified staff only (``portal.staff_access``)."""
    return is_firm_staff(user) and cast("User", user).has_perm(NOTICE_WORDING_REVIEW)


def is_member_of(user: User | AnonymousUser | Any, rights_holder_id: int) -> bool:
    """A client user who belongs to the rights holder, in any role (may decline a draft or ask for changes)."""
    return is_client_user(user) and cast("User", user).memberships.filter(rights_holder_id=rights_holder_id).exists()


def can_sign_for(user: User | AnonymousUser | Any, rights_holder_id: int) -> bool:
    """A client member whose role gives them authority to sign for the rights holder."""
    return is_client_user(user) and (
        cast("User", user).memberships.filter(rights_holder_id=rights_holder_id, role__in=SIGNING_ROLES).exists()
    )
