"""Every word the skill says comes from here: Jinja2 templates under `responses/` rendered to SSML.

One environment for the whole container, with autoescaping (a slot value like `<b>&` must stay
valid SSML) and StrictUndefined (a missing variable is a bug, not silence). In the Lambda artifact
the templates were compiled to Python modules at build time and are loaded on first use; from a
checkout (tests, `make chat`) they compile on first use. Either way they stay loaded for the life
of the container; nothing is re-read per request.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import Callable

import jinja2
import markupsafe

RESPONSES_DIR = Path(os.environ.get("RESPONSES_DIR", Path(__file__).resolve().parent.parent
                                    / "responses"))
# The Lambda build compiles every template to a Python module here (`python -m skill.speech`):
# where it exists, templates are loaded from it, not compiled on first use (`CompiledLoader`).
COMPILED_DIR = RESPONSES_DIR.with_name("responses_compiled")
DEFAULT_LOCALE = "en-US"
SUFFIX = ".ssml.j2"
# Plain text for a screen, a card in the Alexa app, or a reminder: same loader and settings, but
# not escaped for SSML (a card would show "&amp;" literally).
TEXT_SUFFIX = ".txt.j2"
MAX_BREAK_SECONDS = 10
MAX_SSML_CHARS = 8000
# Alexa's SSML tags (the `amazon:` prefix made a plain name so a plain XML parser can read them).
ALEXA_SSML_TAGS = frozenset({"speak", "p", "s", "break", "emphasis", "prosody", "say-as", "sub",
                             "phoneme", "lang", "voice", "w", "audio", "amazon_effect",
                             "amazon_domain", "amazon_emotion"})
# Wraps every rendered answer: `words` is the answer, already escaped.
VOICE = "_voice"
# What to say when rendering fails (a damaged shared template): SSML read as it is, through no
# template, in a locale's folder (found through its chain, like a template). It says what the
# `error` answer says about a cramp; `python -m localdev.last_resort` writes it from that.
LAST_RESORT = "_last_resort.ssml"


# A locale as Alexa sends it ("en-GB"); anything else is not a folder name we will look up.
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# English without a region: words that are right anywhere (a local emergency number, not 911).
SHARED_ENGLISH = "en"


def locale_chain(locale: str) -> list[str]:
    """Where to look for a locale's words, most specific first: en-GB, then en, then the default.

    Any other language (de-DE, ja-JP...) is answered in English: its chain ends in `en` too, so it
    gets words that suit anywhere. A malformed locale is treated as no locale at all."""
    chain = []
    if isinstance(locale, str) and _LOCALE.match(locale):
        chain.append(locale)
        language = locale.split("-")[0]
        if language != locale:
            chain.append(language)
    for folder in (SHARED_ENGLISH, DEFAULT_LOCALE):
        if folder not in chain:
            chain.append(folder)
    return chain


class LocaleLoader(jinja2.BaseLoader):
    """Resolves `<locale>/<key>` through the locale's fallback chain, so a locale folder holds
    only the templates whose words differ."""

    def __init__(self, root: Path):
        self.root = root

    def get_source(self, environment, template):
        locale, _, key = template.partition("/")
        for folder in locale_chain(locale):
            path = self.root / folder / key
            if path.is_file():
                source = path.read_text(encoding="utf-8")
                mtime = path.stat().st_mtime
                return source, str(path), lambda: path.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)

    def list_templates(self):
        found = set()
        for suffix in (SUFFIX, TEXT_SUFFIX):
            for path in self.root.rglob("*" + suffix):
                found.add(path.relative_to(self.root).as_posix())
        return sorted(found)


class CompiledLoader(jinja2.ModuleLoader):
    """Templates compiled at build time (`Speech.compile_to`) to Python modules: a name
    (`<folder>/<key>`) is compiled as that folder resolves it, so its imports (`_macros`,
    `_words`) follow the same locale chain as from source. A template that names no other is
    compiled once, in the folder that holds it; a name without a module of its own is found
    along the locale chain, as its source would be. It lists what the source lists."""

    def __init__(self, path: Path, source: LocaleLoader):
        super().__init__(str(path))
        self.source = source

    def load(self, environment, name, globals=None):
        folder, _, key = name.partition("/")
        for candidate in locale_chain(folder):
            try:
                return super().load(environment, f"{candidate}/{key}", globals)
            except jinja2.TemplateNotFound:
                continue
        raise jinja2.TemplateNotFound(name)

    def list_templates(self):
        return self.source.list_templates()


class _Environment(jinja2.Environment):
    def join_path(self, template, parent):
        # Templates name each other relative to their locale: `{% import "_macros.ssml.j2" %}`
        # inside en-GB/x means en-GB/_macros..., which the loader finds through the chain.
        return f"{parent.split('/', 1)[0]}/{template}"


def split_hold(seconds: int) -> list[int]:
    """A hold as SSML breaks of at most 10 s each, ending on a 5 s break so the last cue can be
    "five more seconds". The parts always add up to `seconds`."""
    seconds = int(seconds)
    if seconds <= 0:
        return []
    if seconds <= 5:
        return [seconds]
    if seconds <= MAX_BREAK_SECONDS:
        return [seconds - 5, 5]
    parts = []
    head = seconds - MAX_BREAK_SECONDS
    while head > 0:
        parts.append(min(head, MAX_BREAK_SECONDS))
        head -= parts[-1]
    return parts + [5, 5]


def split_rest(seconds: int) -> list[int]:
    """A rest as breaks of at most 10 s each, adding up to `seconds`."""
    seconds, parts = int(seconds), []
    while seconds > 0:
        parts.append(min(seconds, MAX_BREAK_SECONDS))
        seconds -= parts[-1]
    return parts


def speakable(ssml: object) -> bool:
    """Whether `ssml` is speech Alexa accepts: a well-formed speak document of Alexa's tags,
    within its length. For SSML that comes back from outside, like the session's "last thing
    said", which may be from an older version of the skill or damaged."""
    if not isinstance(ssml, str) or len(ssml) >= MAX_SSML_CHARS:
        return False
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(ssml.replace("amazon:", "amazon_"))
    except ElementTree.ParseError:
        return False
    inside = list(root.iter())[1:]
    return root.tag == "speak" and all(element.tag in ALEXA_SSML_TAGS - {"speak"}
                                       for element in inside)


class Speech:
    """Renders response keys (`relief/calf`) to SSML for a locale.

    A template picks among its wordings with `variant(n)`, which asks `choose(n)` for a number
    from 0 to n - 1; tests pass a fixed chooser to render every wording.
    """

    def __init__(self, root: Path = RESPONSES_DIR,
                 choose: Callable[[int], int] | None = None, compiled: Path | None = None):
        self.root = root
        self.choose = choose or (lambda n: random.randrange(n))
        self.source = LocaleLoader(root)
        if compiled is None and root == RESPONSES_DIR and COMPILED_DIR.is_dir():
            compiled = COMPILED_DIR
        self.env = _Environment(
            loader=CompiledLoader(compiled, self.source) if compiled else self.source,
            autoescape=lambda name: not (name or "").endswith(TEXT_SUFFIX),
            undefined=jinja2.StrictUndefined,
            auto_reload=False,
            cache_size=-1,
            keep_trailing_newline=False,
        )
        self.env.globals["variant"] = lambda n: self.choose(int(n))
        self.env.filters["hold_parts"] = split_hold
        self.env.filters["rest_parts"] = split_rest
        # Locale folders: those holding templates (responses/apl/ holds a screen layout).
        self.folders = {path.name for path in root.iterdir()
                        if path.is_dir() and any(path.rglob("*.j2"))}

    def folder(self, locale: str) -> str:
        """The most specific folder that speaks for `locale`: en-GB for en-GB, en for de-DE.
        Templates are compiled once per folder, not once per locale string a request brings."""
        return next(folder for folder in locale_chain(locale)
                    if folder in self.folders or folder == DEFAULT_LOCALE)

    def names(self) -> list[str]:
        """Every template name a request can ask for: each locale folder with each key that
        resolves from it."""
        keys = sorted({name.partition("/")[2] for name in self.source.list_templates()})
        return [f"{folder}/{key}" for folder in sorted(self.folders) for key in keys
                if any((self.root / each / key).is_file() for each in locale_chain(folder))]

    def compile_to(self, target: Path) -> int:
        """Every template a request can ask for, as its folder resolves it, compiled to a Python
        module in `target` for `CompiledLoader`; how many modules. A template that names no other
        is compiled only in the folder that holds it."""
        from jinja2 import meta

        target.mkdir(parents=True, exist_ok=True)
        for stale in (*target.glob("tmpl_*.py"), *target.glob("__pycache__/tmpl_*.pyc")):
            stale.unlink()  # a template removed since an earlier build must not be found
        count = 0
        for name in self.names():
            source, filename, _ = self.source.get_source(self.env, name)
            its_own = Path(filename) == self.root / name
            if not its_own and not list(meta.find_referenced_templates(self.env.parse(source))):
                continue
            code = self.env.compile(source, name, filename, raw=True, defer_init=True)
            (target / jinja2.ModuleLoader.get_module_filename(name)).write_text(
                code, encoding="utf-8")
            count += 1
        return count

    def template_name(self, locale: str, key: str, suffix: str = SUFFIX) -> str:
        return f"{self.folder(locale)}/{key}{suffix}"

    def render(self, locale: str, key: str, night: bool = False, aloud: bool = False,
               **data) -> str:
        """The key's words, inside the locale's `_voice` template, which says how every answer
        is spoken (softly at night, unless `aloud`: getting care now is never whispered). Every
        template sees `night`, to say less then."""
        words = self.env.get_template(self.template_name(locale, key)).render(night=night, **data)
        voice = self.env.get_template(self.template_name(locale, VOICE))
        spoken = voice.render(night=night, soft=night and not aloud,
                              words=markupsafe.Markup(words))
        # Silence is never an answer: a template that says nothing, or a voice that drops the
        # words, is damaged, and fails like one (the caller has a last resort).
        if not words.strip() or words not in spoken:
            raise jinja2.TemplateError(f"{key} rendered to no speech in {locale!r}")
        # Templates are laid out for reading; speech wants single spaces.
        return " ".join(spoken.split())

    def last_resort(self, locale: str) -> str:
        """What to do for a cramp, and that something went wrong, with no template involved: for
        when rendering fails. Read from disk each time: only a failure needs it."""
        for folder in locale_chain(locale):
            path = self.root / folder / LAST_RESORT
            if path.is_file():
                return " ".join(path.read_text(encoding="utf-8").split())
        raise FileNotFoundError(f"no {LAST_RESORT} for {locale!r} under {self.root}")

    def fields(self, locale: str, key: str, night: bool = False, **data) -> dict[str, str]:
        """The named pieces of plain text (`{% set title %}...{% endset %}`) in `<key>.txt.j2`.

        Each piece keeps its line breaks (a card lists one item a line) with the spaces inside
        each line folded and blank lines dropped."""
        template = self.env.get_template(self.template_name(locale, key, TEXT_SUFFIX))
        module = template.make_module(vars=dict(data, night=night))
        return {field: _plain(str(value)) for field, value in vars(module).items()
                if not field.startswith("_")}

    def keys(self, suffix: str = SUFFIX) -> list[str]:
        """Every response key of the default locale (macros, named `_*`, excluded)."""
        keys = []
        for name in self.env.loader.list_templates():
            locale, _, key = name.partition("/")
            if (locale == DEFAULT_LOCALE and key.endswith(suffix)
                    and not key.rsplit("/", 1)[-1].startswith("_")):
                keys.append(key[: -len(suffix)])
        return keys


def _plain(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_SPEECH: Speech | None = None


def speech() -> Speech:
    """The container's one renderer, built on first use."""
    global _SPEECH
    if _SPEECH is None:
        _SPEECH = Speech()
    return _SPEECH


class Voice:
    """This request's way of speaking: its locale's words, by night or by day.

    Whether it is night is decided once, when the request is read (`skill.session.LoadSession`),
    never by a render."""

    def __init__(self, renderer: Speech, locale: str, night: bool = False):
        self.renderer = renderer
        self.locale = locale
        self.night = night

    def __call__(self, key: str, aloud: bool = False, **data) -> str:
        return self.renderer.render(self.locale, key, night=self.night, aloud=aloud, **data)

    def fields(self, key: str, **data) -> dict[str, str]:
        """The plain-text pieces of `<key>.txt.j2` (a card, a screen), in the same voice."""
        data.setdefault("night", self.night)
        return self.renderer.fields(self.locale, key, **data)


if __name__ == "__main__":
    # The Lambda build (Makefile): `python -m skill.speech TARGET` compiles every template.
    import sys

    print(f"{Speech().compile_to(Path(sys.argv[1]))} templates compiled to {sys.argv[1]}",
          file=sys.stderr)
