from skillgrid.domain.keys import assign_keys, derive_key, is_valid_key


def test_acronym_in_parentheses_becomes_the_key() -> None:
    assert derive_key("Site Reliability Engineering (SRE)") == "SRE"


def test_multi_word_names_give_initials_and_single_words_their_start() -> None:
    assert derive_key("Product Output") == "PO"
    assert derive_key("Communication/Writing") == "CW"
    assert derive_key("Networking") == "NET"
    assert derive_key("AWS") == "AWS"


def test_non_ascii_and_symbol_only_names_still_give_valid_keys() -> None:
    for name in ("Développement", "🛠️ Engineering", "???", "2nd line", "Ünïcödé Ökö"):
        assert is_valid_key(derive_key(name)), name


def test_colliding_keys_get_numbers() -> None:
    assert assign_keys(["Networking", "Network", "Netflix"]) == ["NET", "NET2", "NET3"]


def test_known_keys_keep_a_renamed_neighbour_from_taking_them() -> None:
    keys = assign_keys(["Network", "Networking"], known={"Networking": "NET"})
    assert keys == ["NET2", "NET"]
