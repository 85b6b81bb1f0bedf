import pytest

from ownership import identifiers


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("VA 2-123-456", "VA0002123456"),
        ("VA0002123456", "VA0002123456"),
        ("VAu 1-234-567", "VAu001234567"),
        ("vau001234567", "VAu001234567"),
        ("TX 8-765-432", "TX0008765432"),
        ("TXu 2-000-001", "TXu002000001"),
        ("PA 1-999-999", "PA0001999999"),
        ("PAu 3-456-789", "PAu003456789"),
        ("SR 901-234", "SR0000901234"),
        ("SRu 1-111-111", "SRu001111111"),
        ("RE 123-456", "RE0000123456"),
    ],
)
def test_us_copyright_numbers_are_stored_in_one_form(typed, canonical):
    assert identifiers.us_copyright_registration(typed) == canonical


@pytest.mark.parametrize("typed", ["XX 2-123-456", "VA", "VA 0", "VA 12-345-678-901", "2-123-456", "VA 2_123_456"])
def test_us_copyright_numbers_that_cannot_exist_are_refused(typed):
    with pytest.raises(ValueError, match="registration number|digits"):
        identifiers.us_copyright_registration(typed)


def test_us_copyright_number_is_shown_as_on_the_certificate():
    assert identifiers.us_copyright_display("VAu001234567") == "VAu 1-234-567"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("国作登字-2021-F-00268255", "国作登字-2021-F-00268255"),
        ("国作登字 - 2021 - f - 00268255", "国作登字-2021-F-00268255"),
        ("粤作登字-2019-A-00012345", "粤作登字-2019-A-00012345"),
        ("2016SR172900", "2016SR172900"),
        ("2016 sr 172900", "2016SR172900"),
    ],
)
def test_chinese_copyright_registration_numbers(typed, canonical):
    assert identifiers.cn_copyright_registration(typed) == canonical


@pytest.mark.parametrize("typed", ["国作登字-21-F-00268255", "国作登字-2021-F-268255", "2016XX172900", "12345"])
def test_malformed_chinese_copyright_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="国作登字-2021-F-00268255"):
        identifiers.cn_copyright_registration(typed)


def test_software_certificate_number():
    assert identifiers.cn_software_certificate("软著登字第 1234567 号") == "软著登字第1234567号"
    with pytest.raises(ValueError, match="软著登字第1234567号"):
        identifiers.cn_software_certificate("软著登字1234567")


@pytest.mark.parametrize(
    ("parse", "typed", "canonical"),
    [
        (identifiers.us_trademark_registration, "7,123,456", "7123456"),
        (identifiers.cn_trademark_registration, "41 234 567", "41234567"),
        (identifiers.gb_trademark_registration, "UK00003456789", "UK00003456789"),
        (identifiers.gb_trademark_registration, "3456789", "UK00003456789"),
        (identifiers.eu_trademark_registration, "18123456", "018123456"),
        (identifiers.wipo_registration, "1234567", "1234567"),
    ],
)
def test_trade_mark_numbers(parse, typed, canonical):
    assert parse(typed) == canonical


@pytest.mark.parametrize(
    ("parse", "typed"),
    [
        (identifiers.us_trademark_registration, "7A23456"),
        (identifiers.cn_trademark_registration, "123"),
        (identifiers.eu_trademark_registration, "0181234567"),
        (identifiers.wipo_registration, "12345"),
    ],
)
def test_malformed_trade_mark_numbers_are_refused(parse, typed):
    with pytest.raises(ValueError, match="digits"):
        parse(typed)


def test_nice_classes_are_sorted_and_unique():
    assert identifiers.nice_classes("11, 9 9") == [9, 11]
    assert identifiers.nice_classes([45, 1]) == [1, 45]


@pytest.mark.parametrize("typed", ["0", "46", "9, x"])
def test_nice_classes_outside_1_to_45_are_refused(typed):
    with pytest.raises(ValueError, match="1 to 45"):
        identifiers.nice_classes(typed)


def test_country_codes():
    assert identifiers.country_codes("us, cn") == ["CN", "US"]
    with pytest.raises(ValueError, match="two-letter"):
        identifiers.country_codes("China")
