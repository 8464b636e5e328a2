"""The grammar the interaction models' samples are written in (localdev/grammar.py): what a
pattern expands to, and the mistakes it refuses with a message that says where."""

import pytest

from localdev.grammar import MAX_EXPANSIONS, Grammar, GrammarError


def expand(pattern, **macros):
    return Grammar(macros).expand(pattern)


def test_words_are_a_sample_as_written():
    assert expand("i have a leg cramp") == ["i have a leg cramp"]
    assert expand("  i   have\ta cramp ") == ["i have a cramp"], "spaces are folded"


def test_a_group_is_one_of_its_choices():
    assert expand("(i have|i've got) a cramp") == ["i have a cramp", "i've got a cramp"]


def test_square_brackets_are_optional_words():
    assert expand("i have [a] cramp") == ["i have a cramp", "i have cramp"]
    assert expand("cramp [right now|again]") == ["cramp right now", "cramp again", "cramp"]


def test_choices_nest_and_multiply():
    assert expand("(my (calf|foot)|it) [really] hurts") == [
        "my calf really hurts", "my calf hurts", "my foot really hurts", "my foot hurts",
        "it really hurts", "it hurts"]


def test_a_pattern_may_be_choices_at_its_top():
    assert expand("ow|ouch [cramp]") == ["ow", "ouch cramp", "ouch"]


def test_slots_are_kept_for_alexa():
    assert expand("[a] {Muscle} cramp") == ["a {Muscle} cramp", "{Muscle} cramp"]


def test_a_sample_may_use_a_slot_once():
    with pytest.raises(GrammarError, match=r"\{Muscle\} twice"):
        expand("my {Muscle} (hurts|and my {Muscle})")
    assert expand("my {Muscle} (hurts|aches)") == ["my {Muscle} hurts", "my {Muscle} aches"]


def test_macros_are_named_pieces_expanded_in_place():
    macros = {"a_cramp": "[a] [bad] cramp", "have": ["i have", "i've got"]}
    assert Grammar(macros).expand("<have> <a_cramp>") == [
        "i have a bad cramp", "i have a cramp", "i have bad cramp", "i have cramp",
        "i've got a bad cramp", "i've got a cramp", "i've got bad cramp", "i've got cramp"]


def test_macros_may_use_macros():
    grammar = Grammar({"cramp": "(a|the) <noun>", "noun": "cramp|charley horse"})
    assert grammar.expand("stop <cramp>") == [
        "stop a cramp", "stop a charley horse", "stop the cramp", "stop the charley horse"]


def test_duplicates_are_merged_keeping_the_first():
    assert expand("[a] [a] cramp") == ["a a cramp", "a cramp", "cramp"]


def test_counting_does_not_expand():
    grammar = Grammar({"word": "(" + "|".join(f"w{'x' * n}" for n in range(20)) + ")"})
    assert grammar.count("<word> <word> <word> <word>") == 20 ** 4
    assert grammar.count("[a|b] c") == 3


def test_a_pattern_that_explodes_fails_at_once():
    grammar = Grammar({"word": "(" + "|".join("a" * n for n in range(1, 21)) + ")"})
    with pytest.raises(GrammarError,
                       match=f"expands to 160000 samples \\(at most {MAX_EXPANSIONS}\\)"):
        grammar.expand("<word> <word> <word> <word>")


@pytest.mark.parametrize("pattern, message", [
    ("", "nothing to say"),
    ("(i have|i've got a cramp", r"missing '\)'"),
    ("i have] a cramp", r"unexpected '\]'"),
    ("(i have|) a cramp", r"empty choice \(write optional words as \[words\]\)"),
    ("i have [] cramp", r"empty choice inside \[\.\.\.\]"),
    ("I have a cramp", "'I' is not a word Alexa accepts"),
    ("i have 2 cramps", "'2' is not a word"),
    ("it's ok!", "'ok!' is not a word"),
    ("my {Muscle cramps", "stray character"),
    ("my {Mus-cle} cramps", "bad slot name"),
    ("my (calf|leg)'s swollen", "glued together"),
    ("my{Muscle}", "glued together"),
    ("<nope> cramp", "unknown macro <nope>"),
])
def test_malformed_patterns_are_refused_with_where(pattern, message):
    with pytest.raises(GrammarError, match=message):
        Grammar().expand(pattern)


def test_a_macro_that_uses_itself_is_refused():
    grammar = Grammar({"a": "x <b>", "b": "y [<a>]"})
    with pytest.raises(GrammarError, match="circular macro: <a> -> <b> -> <a>"):
        grammar.expand("<a>")


def test_a_malformed_macro_names_the_macro():
    with pytest.raises(GrammarError, match="macro <bad>: missing"):
        Grammar({"bad": "(a|b"}).expand("<bad> cramp")
