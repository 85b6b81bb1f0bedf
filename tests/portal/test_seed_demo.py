from base64 import b32decode
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from evidence.models import Matter
from ownership.models import Membership, RightsHolder
from ownership.shared.users import User
from portal.models import ListingOutcome


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (User, RightsHolder, Membership, Matter))


def test_seed_demo_twice_creates_nothing_new(db, capsys):
    call_command("seed_demo", allow_production=True)
    first = counts()
    call_command("seed_demo", allow_production=True)
    assert counts() == first
    assert first[:4] == (3, 2, 2, 3)


def test_seed_demo_prints_logins_that_work(db, client, capsys):
    call_command("seed_demo", allow_production=True)
    out = capsys.readouterr().out
    assert "paralegal@harcourt-vale.example" in out and "demo-staff-2026" in out
    # django-axes checks every sign-in against the lockout list, so it needs the request.
    assert client.login(request=HttpRequest(), username="paralegal@harcourt-vale.example", password="demo-staff-2026")


def test_seed_demo_prints_a_working_two_factor_device_for_staff(db, capsys):
    call_command("seed_demo", allow_production=True)
    out = capsys.readouterr().out
    uri = next(word for word in out.split() if word.startswith("otpauth://totp/"))
    device = TOTPDevice.objects.get(user__email="paralegal@harcourt-vale.example")
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert device.verify_token(TOTP(b32decode(secret)).token())


def test_demo_members_each_see_only_their_own_matters(db):
    call_command("seed_demo", allow_production=True)
    for member in User.objects.filter(is_staff=False):
        refs = list(Matter.objects.visible_to(member).values_list("reference", flat=True))
        assert refs and all(ref.startswith(member.memberships.get().rights_holder.code) for ref in refs)


def test_the_demo_shows_volume_a_campaign_filed_on_four_platforms_with_mixed_answers(db, signing):
    call_command("seed_demo", allow_production=True)
    matter = Matter.objects.get(reference="LUM-2026-002")
    assert matter.listings.count() == 120
    assert set(matter.campaigns.values_list("platform", flat=True)) == {"alibaba", "aliexpress", "amazon", "ebay"}
    answers = set(ListingOutcome.objects.filter(submission__bundle__matter=matter).values_list("outcome", flat=True))
    assert answers == {"removed", "rejected", "counter_notice", "pending"}
    assert matter.listings.filter(status_changed_at__isnull=False, removed_at__isnull=False).exists()


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0)
