"""Listing intake: files as they come, row rules, matching, the preview and the all-or-nothing import."""

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from openpyxl import Workbook

from evidence.intake.importing import listings_import, listings_preview
from evidence.intake.reading import UnreadableFile, pasted_table, read_table
from evidence.intake.rows import Refused, clean_listing_url
from evidence.models import Listing, Seller
from evidence.services import listing_set_status, seller_record
from ownership.shared.audit import AuditEvent
from tests.evidence.factories import ListingFactory, listing_in
from tests.factories import MatterFactory

ALI = "https://www.aliexpress.com/item/10050012345{}.html"


@pytest.fixture
def matter(holder_a):
    return MatterFactory(rights_holder=holder_a, platforms=["aliexpress", "amazon", "ebay"])


def table(content: bytes | str, name: str = "listings.csv"):
    data = content.encode() if isinstance(content, str) else content
    return read_table(io.BytesIO(data), name)


def preview(matter, content, name="listings.csv"):
    return listings_preview(matter=matter, table=table(content, name))


def run_import(matter, content, by=None, name="listings.csv"):
    return listings_import(matter=matter, table=table(content, name), by=by, source=f"file {name}", sha256="ab" * 32)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading files as they come --------------------------------------------------------------------


def test_utf8_with_bom_semicolons_and_a_quoted_newline_keep_spreadsheet_row_numbers(matter):
    content = f'\ufeffListing URL;Seller\r\n{ALI.format(1)};"Glow\r\nStore"\r\njavascript:x;y\r\n'
    summary = preview(matter, content)
    assert summary.new == 1 and summary.refused == [(3, "Only web addresses (http or https) are accepted, not a "
                                                        "“javascript:” address.")]  # fmt: skip


def test_gb18030_file_with_chinese_seller_names_is_read(matter, db):
    content = "url,店铺\nurl_placeholder\n".replace("url_placeholder", ALI.format(2)).replace("店铺", "Seller")
    data = (content.strip() + ",明峰数码旗舰店\n").encode("gb18030")
    run_import(matter, data)
    assert Seller.objects.get().store_name == "明峰数码旗舰店"


def test_tab_separated_file_is_read(matter):
    assert preview(matter, f"Product URL\tPrice\n{ALI.format(3)}\t24.90\n").new == 1


def test_xlsx_first_sheet_is_read_with_headers_in_any_case(matter, db):
    run_import(matter, xlsx([["LINK", "price", "Currency"], [ALI.format(4), 24.9, "usd"]]), name="export.xlsx")
    listing = Listing.objects.in_matter(matter).get()
    assert (str(listing.price), listing.currency) == ("24.90", "USD")


def xlsx_with_cell_replaced(rows: list[list], written: str, stored: str) -> bytes:
    """The workbook of ``rows`` with one stored cell value changed in its sheet's XML (as a broken tool writes it)."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx(rows))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(f"<v>{written}</v>".encode(), f"<v>{stored}</v>".encode())
            target.writestr(part, data)
    return out.getvalue()


def test_a_number_cell_holding_text_refuses_its_row_and_the_rest_is_previewed(matter):
    rows = [["url", "price"], [ALI.format(5), 5], [ALI.format(6), 777], [ALI.format(7), 9]]
    summary = preview(matter, xlsx_with_cell_replaced(rows, "777", "twelve"), name="export.xlsx")
    assert summary.refused == [(3, "The price “twelve” is not a number.")]
    assert summary.new == 2


def test_xlsx_that_would_inflate_far_beyond_its_size_is_refused_unopened(matter):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    with pytest.raises(UnreadableFile, match="zip bomb"):
        table(out.getvalue(), "bomb.xlsx")


def test_empty_file_is_refused(matter):
    with pytest.raises(UnreadableFile, match="empty"):
        table(b"")


def test_file_without_a_url_column_names_the_columns_it_has(matter):
    with pytest.raises(UnreadableFile, match="“Seller”, “Price”"):
        table("Seller,Price\nGlow,3\n")


def test_unknown_columns_are_reported_and_ignored(matter):
    assert preview(matter, f"url,Colour\n{ALI.format(5)},red\n").unknown_columns == ["Colour"]


def test_pasted_urls_are_one_per_line(matter):
    summary = listings_preview(matter=matter, table=pasted_table(f"{ALI.format(6)}\n\n{ALI.format(7)}\n"))
    assert summary.new == 2


# --- Row rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("javascript:alert(1)", "not a “javascript:” address"),
        ("data:text/html,hi", "not a “data:” address"),
        ("file:///etc/passwd", "not a “file:” address"),
        ("http://10.0.0.7/item", "private, local or reserved"),
        ("http://169.254.169.254/latest/meta-data", "private, local or reserved"),
        ("http://localhost:8000/x", "private, local or reserved"),
        ("https://user:pw@www.amazon.com/dp/B000000001", "user name or password"),
    ],
)
def test_urls_that_are_not_public_web_pages_are_refused(raw, reason):
    with pytest.raises(Refused, match=reason):
        clean_listing_url(raw)


def test_tracking_parameters_and_fragment_go_and_scheme_and_host_are_lowered():
    url, platform = clean_listing_url("HTTPS://WWW.AliExpress.com/item/1.html?spm=a.b&utm_source=x&sku=2#reviews")
    assert (url, platform) == ("https://www.aliexpress.com/item/1.html?sku=2", "aliexpress")


def test_mobile_aliexpress_maps_to_the_desktop_host_and_taobao_short_links_are_kept():
    assert clean_listing_url("https://m.aliexpress.com/item/9.html")[0] == "https://www.aliexpress.com/item/9.html"
    assert clean_listing_url("https://m.tb.cn/h.AbCd")[0] == "https://m.tb.cn/h.AbCd"


def test_asin_and_ebay_item_number_come_from_the_url(matter, db):
    run_import(
        matter, "url\nhttps://www.amazon.co.uk/Lamp/dp/b000000001?ref=x\nhttps://www.ebay.com/itm/lamp/123456789012\n"
    )
    assert sorted(Listing.objects.values_list("platform_item_id", flat=True)) == ["123456789012", "B000000001"]


def test_an_item_id_that_contradicts_the_url_is_refused(matter):
    summary = preview(matter, "url,asin\nhttps://www.amazon.com/dp/B000000001,B000000002\n")
    assert "differs from the one in the URL" in summary.refused[0][1]


def test_platform_column_contradicting_the_host_is_refused(matter):
    summary = preview(matter, f"url,platform\n{ALI.format(8)},Amazon\n")
    assert summary.refused == [(2, "The URL is on AliExpress (IPP) but the row says Amazon.")]


def test_unknown_host_and_untargeted_platform_are_refused_with_reasons(matter):
    summary = preview(matter, "url\nhttps://bit.ly/3xyz\nhttps://detail.1688.com/offer/1.html\n")
    assert [reason for _, reason in summary.refused] == [
        "Unknown platform: bit.ly is not a site of any platform the portal files with.",
        "1688.com (IPP) is not a platform this matter targets (AliExpress (IPP), Amazon, eBay (VeRO)).",
    ]


def test_a_duplicate_row_names_the_row_it_repeats(matter):
    summary = preview(matter, f"url\n{ALI.format(9)}\n{ALI.format(9)}?spm=x\n")
    assert summary.refused == [(3, "The same listing as row 2.")]


def test_a_cell_over_ten_thousand_characters_is_refused(matter):
    summary = preview(matter, f"url,title\n{ALI.format(10)},{'x' * 10_001}\n")
    assert summary.refused == [(2, "The title cell is over 10,000 characters.")]


# --- Matching and what is known ---------------------------------------------------------------------


def test_sellers_are_linked_by_id_store_url_then_name_and_created_once(matter, db):
    by_id, _ = seller_record(platform="aliexpress", store_name="Old name", platform_seller_id="S1")
    by_name, _ = seller_record(platform="aliexpress", store_name="Glow Lighting Store")
    content = (
        "url,seller,seller id\n"
        f"{ALI.format(11)},Renamed,S1\n{ALI.format(12)},GLOW lighting,\n{ALI.format(13)},Brand New Shop,\n"
        f"{ALI.format(14)},Brand New Shop,\n"
    )
    summary = run_import(matter, content)
    assert (summary.sellers_linked, summary.sellers_created) == (2, 1)
    sellers = dict(Listing.objects.values_list("url", "seller_id"))
    assert sellers[ALI.format(11)] == by_id.pk and sellers[ALI.format(12)] == by_name.pk
    assert sellers[ALI.format(13)] == sellers[ALI.format(14)] != by_id.pk


def test_listing_known_in_another_matter_of_the_client_is_named_and_linked(matter, holder_a):
    other = MatterFactory(rights_holder=holder_a, platforms=["aliexpress"])
    run_import(other, f"url\n{ALI.format(15)}\n")
    summary = run_import(matter, f"url\n{ALI.format(15)}\n")
    assert summary.known_elsewhere == {other.reference: 1}
    assert set(Listing.objects.get().matters.all()) == {other, matter}


def test_listing_of_another_clients_matter_is_new_here_and_the_other_matter_is_not_named(matter, holder_b):
    other = MatterFactory(rights_holder=holder_b, platforms=["aliexpress"])
    run_import(other, f"url\n{ALI.format(16)}\n")
    summary = preview(matter, f"url\n{ALI.format(16)}\n")
    assert (summary.new, dict(summary.known_elsewhere)) == (1, {})
    assert other.reference not in "\n".join(summary.lines())


def test_a_removed_listing_seen_again_is_flagged_reappeared_and_nothing_else_changes(matter):
    listing = listing_in(matter, listing__url=ALI.format(17), listing__seller__platform="aliexpress", title="Kept")
    listing_set_status(listing=listing, status=Listing.Status.REMOVED)
    summary = run_import(matter, f"url,title\n{ALI.format(17)},A new title\n")
    listing = Listing.objects.in_matter(matter).get(pk=listing.pk)
    assert summary.reappeared_listings == 1
    assert (listing.status, listing.title) == (Listing.Status.REAPPEARED, "Kept")


def test_a_seller_who_had_a_listing_removed_is_counted_as_back(matter):
    gone = ListingFactory(platform="aliexpress", seller__platform="aliexpress", seller__store_name="Back Again")
    listing_set_status(listing=gone, status=Listing.Status.REMOVED)
    assert run_import(matter, f"url,seller\n{ALI.format(18)},Back Again\n").reappeared_sellers == 1


# --- The import -------------------------------------------------------------------------------------


def test_the_preview_writes_nothing(matter):
    preview(matter, f"url,seller\n{ALI.format(19)},Glow\n")
    assert not Listing.objects.exists() and not Seller.objects.exists()


def test_the_same_file_twice_adds_nothing_the_second_time_and_says_so(matter):
    content = f"url\n{ALI.format(20)}\n"
    run_import(matter, content)
    second = run_import(matter, content)
    assert (second.new, second.known_here, Listing.objects.count()) == (0, 1, 1)
    assert "Nothing new: every accepted listing is already in this matter." in second.lines()


def test_the_import_is_audited_with_the_file_hash_and_the_counts(matter, staff):
    run_import(matter, f"url\n{ALI.format(21)}\njavascript:x\n", by=staff)
    entry = AuditEvent.objects.get(action="imported")
    assert entry.actor == staff and "ab" * 32 in entry.details
    assert "2 rows, 1 new listings" in entry.details and "1 refused" in entry.details


def test_an_import_that_fails_part_way_writes_nothing(matter, monkeypatch):
    def broken_log(**kwargs):
        raise DatabaseError("the audit log is unavailable")

    monkeypatch.setattr("evidence.intake.importing.audit_record", broken_log)
    with pytest.raises(DatabaseError):
        run_import(matter, f"url,seller\n{ALI.format(22)},Glow\n")
    assert not Listing.objects.exists() and not Seller.objects.exists()


# --- The command ------------------------------------------------------------------------------------


def command(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_listings", *args, stdout=out, stderr=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_command_exits_0_when_every_row_was_imported(matter, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(f"url\n{ALI.format(23)}\n")
    assert command(matter.reference, str(path))[0] == 0 and Listing.objects.count() == 1


def test_command_exits_1_with_refusals_and_writes_nothing_in_a_dry_run(matter, tmp_path):
    path = tmp_path / "some.csv"
    path.write_text(f"url\n{ALI.format(24)}\nfile:///etc/passwd\n")
    code, out = command(matter.reference, str(path), "--dry-run")
    assert code == 1 and "row 3: Only web addresses" in out and "Dry run: nothing was written." in out
    assert not Listing.objects.exists()


def test_command_exits_2_for_a_file_it_cannot_read(matter, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Seller\nGlow\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("import_listings", matter.reference, str(path))
    assert refused.value.returncode == 2 and "No column of listing URLs" in str(refused.value)


def test_a_price_that_is_not_a_number_is_refused(matter):
    assert preview(matter, f"url,price\n{ALI.format(25)},call us\n").refused == [
        (2, "The price “call us” is not a number.")
    ]


def test_a_file_over_the_size_limit_is_refused_with_the_limit(matter, settings):
    settings.PORTAL_MAX_IMPORT_BYTES = 1_000_000
    with pytest.raises(UnreadableFile, match="listing files up to 1 MB are accepted"):
        table(b"url\n" + f"{ALI.format(1)}\n".encode() * 30_000)


@pytest.mark.postgres
def test_right_after_a_large_import_the_planner_knows_how_many_listings_there_are(transactional_db, holder_a):
    """Statistics after a bulk load: the filtered listings page is planned for the rows it holds, not for the few
    hundred the tables held before the COPY (the page took 455 ms instead of 80 ms with stale statistics)."""
    from django.db import connection

    from tests.conftest import require_env

    require_env("DATABASE_URL")
    matter = MatterFactory(rights_holder=holder_a, platforms=["aliexpress"])
    urls = "\n".join(f"https://www.aliexpress.com/item/{1005000000 + n}.html" for n in range(3000))
    listings_import(matter=matter, table=pasted_table(urls), by=None, source="pasted URLs", sha256="ab" * 32)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'evidence_listing'")
        (estimated,) = cursor.fetchone()
    assert estimated >= 2700
    plan = Listing.objects.filter(matters=matter).explain()
    planned = max(int(rows) for rows in re.findall(r"rows=(\d+)", plan))
    assert planned >= 1000, plan


def test_where_the_infringement_appears_is_read_from_its_column_into_the_matters_facts(matter):
    run_import(matter, f"url,appears in\n{ALI.format(41)},Product; listing image\n")
    assert Listing.objects.in_matter(matter).get().infringement_appears_in == ["product", "image"]


def test_an_unknown_place_in_the_appears_in_column_refuses_the_row_naming_it(matter):
    summary = preview(matter, f"url,appears in\n{ALI.format(42)},on the box\n{ALI.format(43)},packaging\n")
    assert summary.new == 1 and "“on the box”" in " ".join(summary.lines())
