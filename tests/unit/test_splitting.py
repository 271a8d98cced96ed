from skillgrid.domain.splitting import (
    SplitMode,
    choose_mode,
    has_separators,
    split_cell,
    split_items,
    split_sentences,
)


def test_sentences_split_at_full_stop_before_capital() -> None:
    assert split_sentences("Actively solicits feedback. Participates on interview panels.") == [
        "Actively solicits feedback.",
        "Participates on interview panels.",
    ]


def test_two_spaces_before_capital_split_even_without_a_full_stop() -> None:
    text = "alerting stacks (Cloud-Watch, Prometheus, Grafana)  Is a member of on-call rotation."
    assert split_sentences(text) == [
        "alerting stacks (Cloud-Watch, Prometheus, Grafana)",
        "Is a member of on-call rotation.",
    ]


def test_never_splits_inside_parentheses() -> None:
    text = "Uses tools (see the runbook. Then ask.) Writes docs."
    assert split_sentences(text) == ["Uses tools (see the runbook. Then ask.)", "Writes docs."]


def test_never_splits_after_abbreviations() -> None:
    for abbreviation in ("e.g.", "i.e.", "etc.", "vs.", "E.g.", "U.S."):
        text = f"Knows stacks {abbreviation} Kubernetes and more."
        assert split_sentences(text) == [text], abbreviation


def test_sentence_end_followed_by_lower_case_or_digit_does_not_split() -> None:
    assert split_sentences("Knows v1. and v2. 3 more things.") == [
        "Knows v1. and v2. 3 more things."
    ]


def test_question_and_exclamation_marks_end_sentences() -> None:
    assert split_sentences("Asks why? Fixes it! Done.") == ["Asks why?", "Fixes it!", "Done."]


def test_sentence_end_inside_quotes_splits_after_the_quote() -> None:
    assert split_sentences('Says "ship it."  Then ships.') == ['Says "ship it."', "Then ships."]


def test_line_breaks_make_one_criterion_per_line() -> None:
    assert split_items("First thing.\r\n\nSecond thing. Still second.") == [
        "First thing.",
        "Second thing. Still second.",
    ]


def test_br_tags_are_line_breaks() -> None:
    assert split_items("One<br>Two<BR/>Three<br />Four") == ["One", "Two", "Three", "Four"]


def test_bullets_and_numbers_are_removed_from_items() -> None:
    cell = "- dash\n* star\n• dot\n1. one\n2) two"
    assert split_items(cell) == ["dash", "star", "dot", "one", "two"]


def test_unmarked_line_in_a_bulleted_cell_continues_the_item() -> None:
    assert split_items("- Leads projects\n  across teams.\n- Mentors.") == [
        "Leads projects\nacross teams.",
        "Mentors.",
    ]


def test_inline_bullet_dots_separate_items() -> None:
    assert split_items("• Writes code • Reviews code") == ["Writes code", "Reviews code"]


def test_hyphen_inside_text_is_not_a_bullet() -> None:
    assert not has_separators("Writes lock-free code - systems that are easy to read.")


def test_a_file_with_any_separator_is_in_list_mode() -> None:
    assert choose_mode(["One. Two.", "- a\n- b"]) is SplitMode.LINES
    assert choose_mode(["One. Two.", "Three."]) is SplitMode.SENTENCES


def test_list_mode_keeps_a_cell_without_separators_whole() -> None:
    assert split_cell("One sentence. Another sentence.", SplitMode.LINES) == [
        "One sentence. Another sentence."
    ]


def test_requested_mode_wins_over_detection() -> None:
    assert choose_mode(["- a\n- b"], SplitMode.SENTENCES) is SplitMode.SENTENCES
    assert split_cell("- A. B.\n- C.", SplitMode.SENTENCES) == ["A.", "B.", "C."]


def test_sub_bullets_belong_to_the_item_above() -> None:
    cell = "- Leads projects:\n  - scoping\n  - delivery\n- Mentors others"
    assert split_items(cell) == ["Leads projects:\n- scoping\n- delivery", "Mentors others"]


def test_headings_inside_a_cell_prefix_the_items_below() -> None:
    cell = "Scope:\n- Owns a service\n- Runs its on-call\nImpact:\n- Team-wide"
    assert split_items(cell) == [
        "Scope: Owns a service",
        "Scope: Runs its on-call",
        "Impact: Team-wide",
    ]


def test_more_bullet_styles_and_a_non_breaking_space() -> None:
    cell = "● one\n✓ two\na) three\n—\u00a0four"
    assert split_items(cell) == ["one", "two", "three", "four"]


def test_a_bullet_dot_inside_a_sentence_is_text() -> None:
    assert split_items("Fluent in one of: Python • Go • Java") == [
        "Fluent in one of: Python • Go • Java"
    ]


def test_placeholder_cells_hold_no_criteria() -> None:
    for placeholder in ("-", "—", "N/A", "TBD", " n/a "):
        assert split_cell(placeholder, SplitMode.LINES) == [], placeholder
        assert split_cell(placeholder, SplitMode.SENTENCES) == [], placeholder
