import pytest

from core.text import clean_text, fold, person_sort_key, vi_sort_key


def test_fold_ignores_case_diacritics_and_maps_d_stroke():
    assert fold("  ĐỨC  Thành ") == "duc thanh"
    assert fold("Hòa Xá") == fold("Hoà Xá") == "hoa xa"


def test_clean_text_normalises_nfc_and_spaces():
    import unicodedata

    assert clean_text(unicodedata.normalize("NFD", " Việt   Nam ")) == "Việt Nam"


def test_vietnamese_alphabetical_order():
    words = ["Đức", "Dung", "Ân", "Ăn", "An", "Bình", "Anh", "Ánh", "Ảnh", "Ý", "Yến", "Hải",
             "Hà", "Hạ"]
    assert sorted(words, key=vi_sort_key) == [
        "An", "Anh", "Ảnh", "Ánh", "Ăn", "Ân", "Bình", "Dung", "Đức", "Hà", "Hạ", "Hải", "Ý",
        "Yến"]


def test_people_sort_by_given_then_middle_then_family_name():
    people = [("Trần", "Văn", "Bình"), ("Nguyễn", "Thị", "An"), ("Lê", "Văn", "An"),
              ("Đỗ", "Minh", "Đức"), ("Bùi", "Minh", "Dũng")]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert ordered == [("Nguyễn", "Thị", "An"), ("Lê", "Văn", "An"), ("Trần", "Văn", "Bình"),
                       ("Bùi", "Minh", "Dũng"), ("Đỗ", "Minh", "Đức")]


SORT_COLUMNS = [("enterprises_enterprise", "sort_name"),
                ("enterprises_partyorganization", "sort_name"),
                ("coordination_partymember", "sort_key"),
                ("coordination_admissioncandidate", "sort_key")]


@pytest.mark.django_db
def test_sort_keys_compare_in_binary_order_whatever_the_clusters_locale():
    """The keys' order is their code points' order; a locale's collation (the
    official PostgreSQL image initialises its cluster with en_US.UTF-8; ICU's
    root collation stands for it here) compares their letters as accented
    variants of a few Latin ones. So the columns carry the "C" collation, and
    the database orders by them in Vietnamese order."""
    from django.db import connection
    from django.db.models.functions import Collate

    from enterprises.models import Enterprise
    from tests.enterprises.factories import make_enterprise

    names = ["Đức Thành", "Bình Minh", "Ân Phú", "Dũng Tiến", "An Khang", "Ăn Ngon"]
    for name in names:
        make_enterprise(name=name)
    expected = ["An Khang", "Ăn Ngon", "Ân Phú", "Bình Minh", "Dũng Tiến", "Đức Thành"]
    ordered = Enterprise.objects.filter(name__in=names).order_by("sort_name")
    assert list(ordered.values_list("name", flat=True)) == expected
    under_a_locale = ordered.order_by(Collate("sort_name", "und-x-icu"))
    assert list(under_a_locale.values_list("name", flat=True)) != expected
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns "
            "WHERE (table_name, column_name) IN %s", [tuple(SORT_COLUMNS)])
        assert sorted(cursor.fetchall()) == sorted((*column, "C") for column in SORT_COLUMNS)
