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
