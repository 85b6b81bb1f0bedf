from django.contrib.auth.models import AnonymousUser

from evidence.models import Matter
from ownership.models import RightsHolder


def test_staff_see_every_rights_holder(staff, holder_a, holder_b):
    assert set(RightsHolder.objects.visible_to(staff)) == {holder_a, holder_b}


def test_member_sees_only_their_rights_holder(member_a, holder_a, holder_b):
    assert list(RightsHolder.objects.visible_to(member_a)) == [holder_a]


def test_member_of_other_holder_sees_only_theirs(member_b, holder_b, holder_a):
    assert list(RightsHolder.objects.visible_to(member_b)) == [holder_b]


def test_anonymous_sees_no_rights_holder(holder_a):
    assert not RightsHolder.objects.visible_to(AnonymousUser()).exists()


def test_inactive_staff_see_nothing(staff, holder_a):
    staff.is_active = False
    staff.save()
    assert not RightsHolder.objects.visible_to(staff).exists()


def test_user_without_membership_sees_nothing(db, holder_a, matter_a):
    from tests.factories import UserFactory

    loner = UserFactory()
    assert not RightsHolder.objects.visible_to(loner).exists()
    assert not Matter.objects.visible_to(loner).exists()


def test_staff_see_every_matter(staff, matter_a, matter_b):
    assert set(Matter.objects.visible_to(staff)) == {matter_a, matter_b}


def test_member_sees_only_their_matters(member_a, matter_a, matter_b):
    assert list(Matter.objects.visible_to(member_a)) == [matter_a]


def test_member_of_other_holder_does_not_see_first_holders_matters(member_b, matter_a, matter_b):
    assert list(Matter.objects.visible_to(member_b)) == [matter_b]


def test_anonymous_sees_no_matter(matter_a):
    assert not Matter.objects.visible_to(AnonymousUser()).exists()
