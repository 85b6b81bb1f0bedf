"""The seller network page: staff see the stores, why they are linked and the matters of every client; client
members of either client cannot reach it."""

import hashlib
import subprocess

import pytest
from django.urls import reverse

from evidence.models import Seller, SellerLink
from evidence.networks import seller_identifier_add
from evidence.services import seller_record
from ownership.shared.signing import check_signature, load_certificate, signing_identity, trust_roots
from portal.models import Dossier
from portal.services.dossiers import dossier_compile, dossier_request


def test_staff_see_the_stores_why_they_are_linked_and_every_clients_matters(staff_client, network, matter_a,
                                                                            matter_b):  # fmt: skip
    shared, other, label = network
    text = staff_client.get(reverse("web:seller_network", args=[shared.pk])).content.decode()
    assert "Glowhome Lighting Store" in text and "Deskglow Official" in text
    assert "Phone number" in text and label.label in text
    assert matter_a.reference in text and matter_b.reference in text
    assert "<svg" in text and text.count("<circle") == 2


@pytest.mark.parametrize("member", ["member_a", "member_b"])
def test_neither_clients_member_can_open_the_network(client, network, member, request):
    client.force_login(request.getfixturevalue(member))
    assert client.get(reverse("web:seller_network", args=[network[0].pk])).status_code == 404


def test_an_invalid_identifier_is_refused_with_the_reason_and_nothing_changes(staff_client, network):
    shared, _, label = network
    bad = {"kind": "uscc", "value": "91350100M000100Y44", "exhibit": label.pk}
    page = staff_client.post(reverse("web:seller_identifier_new", args=[shared.pk]), bad, follow=True)
    assert "its check character is wrong" in page.content.decode()
    assert shared.identifiers.count() == 1


def test_a_confirmed_suggestion_joins_the_networks(staff_client, network, staff):
    shared, other, label = network
    third, _ = seller_record(platform="alibaba", store_name="Nordic Lamp Outlet")
    seller_identifier_add(seller=shared, kind="company", value="Shenzhen Glowhome Trading Co., Ltd.", exhibit=label)
    seller_identifier_add(seller=third, kind="company", value="SHENZHEN GLOWHOME TRADING LIMITED", exhibit=label)
    link = SellerLink.objects.get()
    staff_client.post(reverse("web:seller_link_decision", args=[link.pk]), {"decision": "confirmed"})
    assert Seller.objects.get(pk=third.pk).network_id == Seller.objects.get(pk=shared.pk).network_id


def test_the_listings_page_links_staff_to_the_network_and_clients_not(staff_client, client, member_b, network,
                                                                       matter_b):  # fmt: skip
    url = reverse("web:listing_list", args=[matter_b.reference])
    network_url = reverse("web:seller_network", args=[network[0].pk])
    assert network_url in staff_client.get(url).content.decode()
    client.force_login(member_b)
    assert network_url not in client.get(url).content.decode()


def test_staff_compile_a_signed_dossier_of_the_network(staff_client, network, signing, tmp_path):
    shared, other, label = network
    staff_client.post(reverse("web:dossier_new", args=[shared.pk]))
    dossier_compile(dossier_id=Dossier.objects.get().pk)  # what the worker runs
    dossier = Dossier.objects.get()
    assert dossier.status == Dossier.Status.READY, dossier.failure_reason
    path = tmp_path / "dossier.pdf"
    path.write_bytes(b"".join(staff_client.get(reverse("web:dossier_download", args=[dossier.pk])).streaming_content))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == dossier.sha256
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Repeat-infringer dossier" in text and "Deskglow Official" in text and "+86 138 2468 1357" in text
    assert label.sha256 in text.replace("\n", "")
    identity = signing_identity()
    check = check_signature(path, trust_roots(identity) or [load_certificate(identity)], load_certificate(identity))
    assert check.valid and check.covers_whole_file, check.problems


def test_the_dossier_passes_the_layout_check(network, signing, staff, tmp_path):
    from tests.support.layout import layout_problems

    dossier = dossier_compile(dossier_id=dossier_request(seller=network[0], by=staff).pk)
    path = tmp_path / "dossier.pdf"
    with dossier.file.open("rb") as stream:
        path.write_bytes(stream.read())
    assert layout_problems(path) == []


def test_a_client_member_cannot_download_a_dossier(client, member_a, network, signing, staff):
    dossier = dossier_compile(dossier_id=dossier_request(seller=network[0], by=staff).pk)
    client.force_login(member_a)
    assert client.get(reverse("web:dossier_download", args=[dossier.pk])).status_code == 404


def test_the_dossier_dates_each_store_from_its_earliest_listing_in_the_evidence(network):
    import datetime

    from evidence.models import MatterListing
    from evidence.selectors import seller_network
    from portal.services.dossiers import dossier_input

    shared, _, _ = network
    MatterListing.objects.filter(listing__seller=shared).update(
        first_seen=datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)
    )
    contents = dossier_input(shared, seller_network(shared))
    store = next(seller for seller in contents.sellers if seller.store == shared.store_name)
    assert store.first_seen == "2026-03-02"


def test_the_verify_page_names_a_dossier_by_its_kind_and_what_it_certifies(network, signing, staff, tmp_path, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = dossier_compile(dossier_id=dossier_request(seller=network[0], by=staff).pk)
    with dossier.file.open("rb") as stream:
        upload = SimpleUploadedFile("dossier.pdf", stream.read(), content_type="application/pdf")
    page = client.post(reverse("verify_bundle"), {"file": upload}).content.decode()
    assert "Genuine and unaltered" in page and "Repeat-infringer dossier" in page
    assert f"Repeat-infringer dossier {dossier.pk} of the network of Glowhome Lighting Store" in page
    assert ": 2 stores and the evidence linking them" in page
