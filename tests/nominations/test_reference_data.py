import pytest

from jury.models import Partner
from nominations.models import Area, Edition, Municipality

pytestmark = pytest.mark.django_db


def test_the_26_municipalities_of_stockholms_lan_with_their_codes():
    codes = dict(Municipality.objects.values_list("code", "name"))

    assert len(codes) == 26
    assert codes["0114"] == "Upplands Väsby"
    assert codes["0180"] == "Stockholm"
    assert codes["0192"] == "Nynäshamn"
    assert all(code.startswith("01") for code in codes)


def test_the_seven_partners_of_operation_kvinnofrid():
    assert list(Partner.objects.values_list("name", flat=True)) == [
        "Länsstyrelsen Stockholm",
        "Region Stockholm",
        "Polismyndigheten",
        "Storsthlm",
        "Kriminalvården",
        "Åklagarmyndigheten",
        "Stockholms stad",
    ]


def test_the_three_areas_of_the_prize():
    assert list(Area.objects.values_list("name", flat=True)) == [
        "våld i nära relationer",
        "hedersrelaterat våld och förtryck",
        "prostitution och människohandel för sexuella ändamål",
    ]


def test_2023_was_the_eighth_edition():
    edition = Edition.objects.get(year=2023)

    assert edition.ordinal == 8
    assert edition.conference_theme == "rättssäkerhet och kvalitet i brottsutredningar"
    assert edition.phase == Edition.Phase.PUBLISHED
