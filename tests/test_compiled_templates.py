"""The templates the Lambda build compiles to Python modules (`python -m skill.speech`, read by
`CompiledLoader`) say exactly what their sources say, in every locale, and are loaded, not
compiled, when a request needs them."""

import itertools

import jinja2
import pytest

from localdev.samples import HOSTILE, MOST_VARIANTS, SAMPLES, TEXT_SAMPLES
from skill.speech import CompiledLoader, Speech
from tests.locales import LOCALES

# Every English locale, and one without a folder of its own (answered from `en/`).
RENDERED_LOCALES = LOCALES + ["de-DE"]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    target = tmp_path_factory.mktemp("responses_compiled")
    Speech().compile_to(target)
    return target


def pair(compiled, wording: list[int]) -> tuple[Speech, Speech]:
    """From source and compiled, each choosing wording[0] (modulo the choices) wherever it
    chooses."""
    choose = lambda n: wording[0] % n  # noqa: E731
    return Speech(choose=choose), Speech(choose=choose, compiled=compiled)


def test_every_template_renders_the_same_compiled_in_every_locale(compiled):
    wording = [0]
    source, built = pair(compiled, wording)
    assert isinstance(built.env.loader, CompiledLoader)
    for locale, (key, samples), night in itertools.product(
            RENDERED_LOCALES, SAMPLES.items(), (False, True)):
        for data in samples:
            wording[0] = (wording[0] + 1) % MOST_VARIANTS  # every wording heard somewhere
            assert (built.render(locale, key, night=night, **data)
                    == source.render(locale, key, night=night, **data)), (locale, key, data)


def test_every_text_template_gives_the_same_fields_compiled(compiled):
    source, built = pair(compiled, [0])
    for locale, (key, samples) in itertools.product(RENDERED_LOCALES, TEXT_SAMPLES.items()):
        for data in samples:
            assert built.fields(locale, key, **data) == source.fields(locale, key, **data)


def test_a_request_loads_compiled_templates_and_compiles_none(compiled, monkeypatch):
    _, built = pair(compiled, [0])

    def compile_(*args, **kwargs):
        raise AssertionError("a template was compiled at run time")

    monkeypatch.setattr(built.env, "compile", compile_)
    for locale in RENDERED_LOCALES:
        assert built.render(locale, "relief/answer", **SAMPLES["relief/answer"][0])


def test_each_template_is_compiled_once_unless_its_imports_differ_by_locale(compiled):
    modules = {path.name for path in compiled.glob("*.py")}
    speech = Speech()
    named = {name for name in speech.names()
             if jinja2.ModuleLoader.get_module_filename(name) in modules}
    # A locale's own words are compiled in its folder; the shared stretch words only once.
    assert "en-GB/_words.ssml.j2" in named and "en-GB/relief/answer.ssml.j2" in named
    assert "en-US/stretch/general.ssml.j2" in named
    assert "en-GB/stretch/general.ssml.j2" not in named
    assert len(modules) < len(speech.names())


@pytest.mark.parametrize("key, data", [("relief/answer", {"muscle": HOSTILE}),
                                       ("doctor/next", {"asking": "swollen_typo"})])
def test_a_name_without_words_of_its_own_raises_compiled_too(compiled, key, data):
    _, built = pair(compiled, [0])
    with pytest.raises(jinja2.TemplateNotFound):
        built.render("en-GB", key, **data)
