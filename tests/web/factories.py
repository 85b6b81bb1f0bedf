import factory
from factory.django import DjangoModelFactory

from ownership.models import IPRight
from tests.factories import RightsHolderFactory


class IPRightFactory(DjangoModelFactory):
    class Meta:
        model = IPRight

    rights_holder = factory.SubFactory(RightsHolderFactory)
    kind = IPRight.Kind.TRADEMARK
    jurisdiction = "CN"
    title = factory.Sequence(lambda n: f"AURORA mark {n}")
    owner_name = factory.LazyAttribute(lambda o: o.rights_holder.name)
