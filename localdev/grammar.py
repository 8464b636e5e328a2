"""The small grammar the interaction models' samples are written in (models/, docs/models.md).

    (i have|i've got) [a] {Muscle} cramp   ->  i have a {Muscle} cramp, i have {Muscle} cramp,
                                               i've got a {Muscle} cramp, i've got {Muscle} cramp

- words are written as spoken: lowercase letters, apostrophes, and periods for spoken letters;
- `(a|b c|d)` is one of its alternatives, `[a|b]` the same or nothing; both nest;
- `{Slot}` is a slot of the intent, kept as is in the sample;
- `<name>` is a named piece (a macro), defined once and expanded in place; a locale can
  redefine it (models/overlays/).

Expanding a pattern gives every sample it stands for, each a string of single-spaced words. A
malformed pattern raises `GrammarError` saying where. Patterns are counted before they are
expanded, so a combination that would explode fails at once instead of filling the memory.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Mapping, Union

WORD_RE = re.compile(r"[a-z'.]+")
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Far above any one phrasing's worth of samples; a pattern past it is almost surely a mistake.
MAX_EXPANSIONS = 5000


class GrammarError(ValueError):
    """A pattern that cannot be expanded: malformed, an unknown or circular macro, a slot twice."""


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Macro:
    name: str


@dataclass(frozen=True)
class Seq:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Alt:
    options: tuple["Node", ...]  # an empty Seq among them makes the group optional


Node = Union[Word, Slot, Macro, Seq, Alt]
EMPTY = Seq(())

# A word glued to a group, slot or macro ("(calf|leg)'s"): not a join, a mistake.
_GLUED_RE = re.compile(r"[)\]}>][^\s)\]|]|[^\s(\[|][(\[{<]")
_TOKEN_RE = re.compile(r"\s+|[()\[\]|]|\{[^{}]*\}|<[^<>]*>|[^\s()\[\]|{}<>]+")


def parse(pattern: str) -> Node:
    """The pattern as a tree; GrammarError if it is malformed."""
    if not isinstance(pattern, str):
        raise GrammarError(f"a pattern must be a string, not {pattern!r}")
    glued = _GLUED_RE.search(pattern)
    if glued:
        raise GrammarError(f"{glued.group()!r} is glued together in {pattern!r}: put a space "
                           "between a word and a group, or write the word whole in each choice")
    tokens = [t for t in _TOKEN_RE.findall(pattern) if not t.isspace()]
    if "".join(tokens) != "".join(pattern.split()):
        raise GrammarError(f"stray character in {pattern!r}")
    position = 0

    def fail(message: str) -> GrammarError:
        return GrammarError(f"{message} in {pattern!r}")

    def alternatives(closing: str | None) -> Node:
        nonlocal position
        options = [sequence()]
        while position < len(tokens) and tokens[position] == "|":
            position += 1
            options.append(sequence())
        if closing is None:
            if position < len(tokens):
                raise fail(f"unexpected {tokens[position]!r}")
        elif position >= len(tokens) or tokens[position] != closing:
            raise fail(f"missing {closing!r}")
        else:
            position += 1
        if closing is None and options == [EMPTY]:
            raise fail("nothing to say")
        if closing == "]":
            if any(option == EMPTY for option in options):
                raise fail("an empty choice inside [...]")
            return Alt((*options, EMPTY))
        if any(option == EMPTY for option in options):
            raise fail("an empty choice (write optional words as [words])")
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def sequence() -> Seq:
        nonlocal position
        items: list[Node] = []
        while position < len(tokens) and tokens[position] not in ("|", ")", "]"):
            token = tokens[position]
            position += 1
            if token == "(":
                items.append(alternatives(")"))
            elif token == "[":
                items.append(alternatives("]"))
            elif token[0] == "{":
                if not NAME_RE.fullmatch(token[1:-1]):
                    raise fail(f"bad slot name {token!r}")
                items.append(Slot(token[1:-1]))
            elif token[0] == "<":
                if not NAME_RE.fullmatch(token[1:-1]):
                    raise fail(f"bad macro name {token!r}")
                items.append(Macro(token[1:-1]))
            elif WORD_RE.fullmatch(token):
                items.append(Word(token))
            else:
                raise fail(f"{token!r} is not a word Alexa accepts (lowercase letters, ' and .)")
        return Seq(tuple(items))

    return alternatives(None)


class Grammar:
    """Expands patterns with a set of macros (name -> pattern, or a list of alternatives)."""

    def __init__(self, macros: Mapping[str, str | list[str]] | None = None):
        self._sources = dict(macros or {})
        self._trees: dict[str, Node] = {}
        self._expanding: list[str] = []

    def _macro(self, name: str) -> Node:
        if name not in self._trees:
            if name not in self._sources:
                raise GrammarError(f"unknown macro <{name}>")
            source = self._sources[name]
            if isinstance(source, list):
                source = "|".join(f"({option})" for option in source)
            try:
                self._trees[name] = parse(source)
            except GrammarError as error:
                raise GrammarError(f"macro <{name}>: {error}") from None
        return self._trees[name]

    @contextmanager
    def _inside(self, name: str) -> Iterator[Node]:
        """The macro's tree, while it is being expanded (a macro met again inside is a loop)."""
        if name in self._expanding:
            loop = [*self._expanding[self._expanding.index(name):], name]
            raise GrammarError(f"circular macro: {' -> '.join(f'<{n}>' for n in loop)}")
        self._expanding.append(name)
        try:
            yield self._macro(name)
        finally:
            self._expanding.pop()

    def count(self, pattern: str) -> int:
        """How many samples the pattern stands for (before duplicates are merged)."""
        return self._count(parse(pattern))

    def _count(self, node: Node) -> int:
        if isinstance(node, (Word, Slot)):
            return 1
        if isinstance(node, Macro):
            with self._inside(node.name) as tree:
                return self._count(tree)
        if isinstance(node, Seq):
            total = 1
            for item in node.items:
                total *= self._count(item)
            return total
        return sum(self._count(option) for option in node.options)

    def expand(self, pattern: str, limit: int = MAX_EXPANSIONS) -> list[str]:
        """Every sample the pattern stands for, without duplicates, in the pattern's order."""
        tree = parse(pattern)
        total = self._count(tree)
        if total > limit:
            raise GrammarError(f"{pattern!r} expands to {total} samples (at most {limit}): "
                               "split it, or move a choice into a slot type")
        samples: dict[str, None] = {}
        for words in self._expand(tree):
            slots = [w[1:-1] for w in words if w.startswith("{")]
            twice = sorted({s for s in slots if slots.count(s) > 1})
            if twice:
                raise GrammarError(f"{pattern!r} gives {' '.join(words)!r}, with {{{twice[0]}}} "
                                   "twice (a sample may use a slot once)")
            samples[" ".join(words)] = None
        return list(samples)

    def _expand(self, node: Node) -> list[tuple[str, ...]]:
        if isinstance(node, Word):
            return [(node.text,)]
        if isinstance(node, Slot):
            return [("{" + node.name + "}",)]
        if isinstance(node, Macro):
            with self._inside(node.name) as tree:
                return self._expand(tree)
        if isinstance(node, Seq):
            results: list[tuple[str, ...]] = [()]
            for item in node.items:
                results = [done + more for done in results for more in self._expand(item)]
            return results
        return [words for option in node.options for words in self._expand(option)]
