"""Match typed text against the skill's own interaction model, roughly as an Alexa device would.

`Matcher.for_locale("en-US").match("ask leg cramp helper what to do i have a leg cramp")` gives
the intent and slots the skill would receive. It is a local stand-in for Alexa's speech model,
good enough to talk to the skill in a console and in tests, not a re-implementation of it:

- text is lower-cased, punctuation dropped, whitespace folded, and a leading "alexa" ignored;
- "ask/tell <invocation> ...", "open/launch/start <invocation> [and] ..." and
  "... using <invocation>" are stripped to what follows; with nothing left it is a launch;
- every sample utterance is a whole-line pattern, `{Slot}` captures one or more words; a custom
  slot must capture a value or synonym of its type, `AMAZON.TIME` must capture a spoken time
  (converted to "HH:MM"), other built-in types take the words as spoken;
- of several matching samples the most specific wins (most literal words, fewest captured);
- declared built-in intents also answer to their usual phrases ("yes", "go back", "start over");
- after a `Dialog.ElicitSlot` (pass the directive as `eliciting`), what fits one of the elicited
  slot's own samples ("{Time}", "at {Time}") fills that slot of the directive's intent, as Alexa
  does; anything else is matched as usual;
- anything else is `AMAZON.FallbackIntent` when the model declares it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from localdev.slot_fill import SlotFill

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"
DEFAULT_LOCALE = "en-US"
FALLBACK = "AMAZON.FallbackIntent"

# What people say to Alexa's built-in intents, added to any samples the model lists for them.
BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": ("help", "help me", "what can i say", "what can you do",
                          "what can i do", "how does this work"),
    "AMAZON.StopIntent": ("stop", "stop it", "shut up", "be quiet", "quiet", "off",
                          "thats enough", "enough"),
    "AMAZON.CancelIntent": ("cancel", "cancel that", "never mind", "nevermind", "forget it"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "yup", "sure", "ok", "okay", "yes please",
                         "of course", "please do", "sounds good"),
    "AMAZON.NoIntent": ("no", "nope", "nah", "no thanks", "no thank you", "not now"),
    "AMAZON.NextIntent": ("next", "next one", "next step", "skip", "skip this", "skip that"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "previous step", "previous one",
                              "last step", "go back one"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "say again",
                            "come again", "what did you say", "pardon", "one more time"),
    "AMAZON.PauseIntent": ("pause", "pause this", "hold on", "wait", "wait a moment"),
    "AMAZON.ResumeIntent": ("resume", "continue", "keep going", "carry on", "go on"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again", "begin again",
                               "start from the beginning", "from the beginning"),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "go to home", "main menu"),
}
# Every Alexa custom skill has these, whether or not the model file lists them.
ALWAYS_PRESENT = ("AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
                  "AMAZON.NavigateHomeIntent")

LAUNCH_VERBS = {"open", "launch", "start", "begin", "load", "run", "use"}
QUERY_VERBS = {"ask", "tell"}
CONNECTORS = {"to", "for", "about", "if", "whether", "what", "how", "and", "that"}
TRAILING_LINKS = {"using", "with", "from"}  # "what causes cramps using leg cramp helper"


# --- text ------------------------------------------------------------------------------------

def normalize(text: str) -> str:
    """Lower case, apostrophes joined ("what's" -> "whats"), other punctuation dropped, spaces
    folded. A colon between digits survives so that "10:15" stays a time."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"(?<=\d):(?=\d)", "\0", text)
    text = text.replace("'", "")
    text = re.sub(r"[^\w\0\s]|_", " ", text)
    return " ".join(text.replace("\0", ":").split())


# --- AMAZON.TIME -----------------------------------------------------------------------------

_UNITS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
# Words after a time that say which half of the day it is; "night" is special (see below).
_PERIODS = (
    (("pm",), "pm"), (("in", "the", "evening"), "pm"), (("in", "the", "afternoon"), "pm"),
    (("this", "evening"), "pm"), (("this", "afternoon"), "pm"), (("tonight",), "pm"),
    (("at", "night"), "night"), (("am",), "am"), (("in", "the", "morning"), "am"),
    (("this", "morning"), "am"),
)
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                 "tonight": "NI"}


def _number(tokens: list[str]) -> int | None:
    """0-59 from one or two spoken or written tokens ("nine", "forty five", "45")."""
    if len(tokens) == 1:
        token = tokens[0]
        if token.isdigit():
            return int(token)
        return _UNITS.get(token, _TENS.get(token))
    if len(tokens) == 2 and tokens[0] in _TENS and 0 < _UNITS.get(tokens[1], 0) < 10:
        return _TENS[tokens[0]] + _UNITS[tokens[1]]
    return None


def _minutes(tokens: list[str]) -> int | None:
    """What follows the hour: nothing, "oclock", "hundred", "oh five", "fifteen", "forty five"."""
    if not tokens or tokens in (["oclock"], ["hundred"], ["o", "clock"]):
        return 0
    if tokens[0] in ("oh", "o") and len(tokens) == 2 and tokens[1] in _UNITS:
        value = _UNITS[tokens[1]]
        return value if value < 10 else None
    value = _number(tokens)
    if value is None or (value < 10 and not tokens[0].isdigit()):
        return None  # "nine five" is not how anyone says 09:05
    return value if value < 60 else None


def _clock(tokens: list[str]) -> tuple[int, int] | None:
    if len(tokens) == 1 and re.fullmatch(r"\d{1,2}:\d{2}", tokens[0]):
        hour, minute = (int(part) for part in tokens[0].split(":"))
        return hour, minute
    if len(tokens) == 1 and re.fullmatch(r"\d{3,4}", tokens[0]):  # "930", "2130"
        return int(tokens[0][:-2]), int(tokens[0][-2:])
    for split in range(1, min(2, len(tokens)) + 1):
        hour, minute = _number(tokens[:split]), _minutes(tokens[split:])
        if hour is not None and minute is not None:
            return hour, minute
    return None


def spoken_time(words: str | list[str]) -> str | None:
    """A spoken time as Alexa's AMAZON.TIME value ("nine thirty pm" -> "21:30"), or None.

    Handles clock times in words or digits, "oh five", "o'clock", "hundred", am/pm (also "p m"
    and "9pm"), "at night", "in the evening/morning/afternoon", half/quarter past/to, noon,
    midnight, "half nine" (British), and the parts of the day Alexa sends as "MO", "AF", "EV",
    "NI".
    """
    text = normalize(words if isinstance(words, str) else " ".join(words))
    text = re.sub(r"\b([ap])\s+m\b", r"\1m", text)                   # "p m" -> "pm"
    text = re.sub(r"\b(\d{1,2}(?::\d{2})?)([ap]m)\b", r"\1 \2", text)  # "9pm" -> "9 pm"
    tokens = text.split()
    if tokens[:1] == ["at"]:
        tokens = tokens[1:]
    if not tokens:
        return None
    if tokens in (["noon"], ["midday"], ["twelve", "noon"]):
        return "12:00"
    if tokens in (["midnight"], ["twelve", "midnight"]):
        return "00:00"
    bare = [token for token in tokens if token not in ("in", "the", "this")]
    if len(bare) == 1 and bare[0] in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[bare[0]]

    period = None
    for tail, name in _PERIODS:
        if len(tokens) > len(tail) and tuple(tokens[-len(tail):]) == tail:
            period, tokens = name, tokens[:-len(tail)]
            break

    offset = None  # minutes relative to the hour: "half past nine", "quarter to ten"
    # "half nine" is British for half past nine.
    for lead, minutes in ((("half", "past"), 30), (("half",), 30), (("quarter", "past"), 15),
                          (("a", "quarter", "past"), 15), (("quarter", "to"), -15),
                          (("a", "quarter", "to"), -15)):
        if tuple(tokens[:len(lead)]) == lead:
            offset, tokens = minutes, tokens[len(lead):]
            break

    clock = _clock(tokens)
    if clock is None:
        return None
    hour, minute = clock
    if offset is not None:
        if minute:
            return None
        minute = offset % 60
        hour = hour - 1 if offset < 0 else hour
        hour = 12 if hour == 0 else hour
    if period == "pm" and hour < 12:
        hour += 12
    elif period == "am" and hour == 12:
        hour = 0
    elif period == "night":  # "nine at night" 21:00, "twelve at night" 00:00, "two at night" 02:00
        hour = 0 if hour == 12 else hour + 12 if 5 <= hour < 12 else hour
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


# --- model -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    """What Alexa would send: an intent (None for a launch) and its filled slots."""

    intent: str | None
    slots: dict[str, SlotFill] = field(default_factory=dict)
    slot_types: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Sample:
    intent: str
    tokens: tuple[tuple[str, str], ...]  # ("word", w) or ("slot", SlotName)
    literals: frozenset[str]
    n_literals: int
    order: int


def _compile(intent: str, text: str, order: int) -> _Sample:
    tokens: list[tuple[str, str]] = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", text)):
        if i % 2:
            tokens.append(("slot", piece))
        else:
            tokens.extend(("word", word) for word in normalize(piece).split())
    literals = [value for kind, value in tokens if kind == "word"]
    return _Sample(intent, tuple(tokens), frozenset(literals), len(literals), order)


def _value_id(name: str) -> str:
    # Alexa gives a value without an id in the model an opaque id of its own.
    return hashlib.md5(name.encode()).hexdigest()


class Matcher:
    """Matches utterances against one interaction model."""

    _cache: dict[str, "Matcher"] = {}

    def __init__(self, model: dict):
        language = model["interactionModel"]["languageModel"]
        self.invocation = tuple(normalize(language["invocationName"]).split())
        # slot type -> spoken phrase (tuple of words) -> (id, canonical name)
        self.values: dict[str, dict[tuple[str, ...], tuple[str, str]]] = {}
        for slot_type in language.get("types", []):
            phrases: dict[tuple[str, ...], tuple[str, str]] = {}
            for value in slot_type.get("values", []):
                name = value["name"]["value"]
                value_id = value.get("id") or _value_id(name)
                for spoken in [name, *value["name"].get("synonyms", [])]:
                    phrases.setdefault(tuple(normalize(spoken).split()), (value_id, name))
            self.values[slot_type["name"]] = phrases

        self.intents: dict[str, dict[str, str]] = {}  # intent -> slot name -> slot type
        self.samples: list[_Sample] = []
        # (intent, slot) -> the slot's own samples, heard only while Alexa elicits that slot
        self.slot_samples: dict[tuple[str, str], list[_Sample]] = {}
        declared = {intent["name"]: intent for intent in language.get("intents", [])}
        for name in ALWAYS_PRESENT:
            declared.setdefault(name, {"name": name})
        for name, intent in declared.items():
            self.intents[name] = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            for slot in intent.get("slots", []):
                self.slot_samples[(name, slot["name"])] = [
                    _compile(name, text, order) for order, text in enumerate(slot.get("samples", []))]
        # The model's own samples first, so that on a tie they win over the usual phrases.
        texts = [(name, text) for name, intent in declared.items()
                 for text in intent.get("samples", [])]
        texts += [(name, text) for name in declared for text in BUILTIN_PHRASES.get(name, ())]
        for name, text in dict.fromkeys(texts):
            if normalize(re.sub(r"[{}]", " ", text)):
                self.samples.append(_compile(name, text, len(self.samples)))
        # A sample that starts with a word can only match words that start with it.
        self._starting: dict[str, list[_Sample]] = {}
        self._slot_first: list[_Sample] = []
        for sample in self.samples:
            kind, value = sample.tokens[0]
            if kind == "word":
                self._starting.setdefault(value, []).append(sample)
            else:
                self._slot_first.append(sample)

    # --- construction ----------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: str | Path) -> "Matcher":
        with open(path, encoding="utf-8") as fh:
            return cls(json.load(fh))

    @classmethod
    def for_locale(cls, locale: str = DEFAULT_LOCALE) -> "Matcher":
        """The matcher for `interaction_models/<locale>.json` (en-US.json if there is none)."""
        if locale not in cls._cache:
            path = MODELS_DIR / f"{locale}.json"
            # Any other locale (de-DE, or a malformed one) is understood as en-US is.
            if not (re.fullmatch(r"[a-z]{2}-[A-Z]{2}", locale or "") and path.exists()):
                path = MODELS_DIR / f"{DEFAULT_LOCALE}.json"
            if not path.exists():
                raise FileNotFoundError(f"no interaction model for {locale}: {path} is missing")
            cls._cache[locale] = cls.from_file(path)
        return cls._cache[locale]

    # --- matching --------------------------------------------------------------------------

    def match(self, utterance: str, eliciting: dict | None = None) -> Match:
        words = normalize(utterance).split()
        if words[:1] == ["alexa"]:
            words = words[1:]
        if eliciting:
            answer = self._slot_answer(words, eliciting)
            if answer is not None:
                return answer
        candidates = self._requests(words)
        if candidates is None:
            return Match(None, {}, {})
        best: tuple[tuple[int, int, int], _Sample, dict[str, SlotFill]] | None = None
        for candidate in candidates:
            heard = set(candidate)
            for sample in self._starting.get(candidate[0] if candidate else "", []) + self._slot_first:
                if not sample.literals <= heard or len(sample.tokens) > len(candidate):
                    continue
                slots = next(self._walk(sample, 0, candidate, 0, {}), None)
                if slots is None:
                    continue
                score = (sample.n_literals, sample.n_literals - len(candidate), -sample.order)
                if best is None or score > best[0]:
                    best = (score, sample, slots)
        if best is None:
            return self._no_match(words)
        _, sample, slots = best
        return Match(sample.intent, slots, dict(self.intents[sample.intent]))

    def _slot_answer(self, words: list[str], directive: dict) -> Match | None:
        """The answer to a Dialog.ElicitSlot: the directive's intent, with the elicited slot filled
        from one of its samples and the slots the directive already carried; None if it fits none."""
        intent = (directive.get("updatedIntent") or {}).get("name")
        slot = directive.get("slotToElicit")
        best = None
        for sample in self.slot_samples.get((intent, slot), []):
            if not sample.literals <= set(words) or len(sample.tokens) > len(words):
                continue
            slots = next(self._walk(sample, 0, words, 0, {}), None)
            if slots is not None and slot in slots and (best is None or sample.n_literals > best[0]):
                best = (sample.n_literals, slots)
        if best is None:
            return None
        carried = {}
        for name, given in ((directive.get("updatedIntent") or {}).get("slots") or {}).items():
            if name in self.intents[intent] and given.get("value"):
                carried[name] = SlotFill(given["value"])
        return Match(intent, {**carried, **best[1]}, dict(self.intents[intent]))

    def _requests(self, words: list[str]) -> list[list[str]] | None:
        """What the person asked the skill for, with the invocation stripped: a list of readings
        to try (with and without a connecting word), or None for a plain launch."""
        inv = list(self.invocation)
        size = len(inv)
        rest: list[str] | None = None
        if words == inv:
            rest = []
        elif words[:1] and words[0] in LAUNCH_VERBS | QUERY_VERBS and words[1:1 + size] == inv:
            rest = words[1 + size:]
        elif len(words) > size + 1 and words[-size:] == inv and words[-size - 1] in TRAILING_LINKS:
            rest = words[:-size - 1]
        if rest is None:
            return [words]
        if not rest or (len(rest) == 1 and rest[0] in CONNECTORS):
            return None
        return [rest, rest[1:]] if rest[0] in CONNECTORS else [rest]

    def _walk(self, sample: _Sample, ti: int, words: list[str], wi: int,
              slots: dict[str, SlotFill]) -> Iterator[dict[str, SlotFill]]:
        """Every way the sample's tokens from `ti` cover `words` from `wi` exactly."""
        tokens = sample.tokens
        if ti == len(tokens):
            if wi == len(words):
                yield slots
            return
        kind, value = tokens[ti]
        if kind == "word":
            if wi < len(words) and words[wi] == value:
                yield from self._walk(sample, ti + 1, words, wi + 1, slots)
            return
        slot_type = self.intents[sample.intent].get(value, "AMAZON.SearchQuery")
        later = len(tokens) - ti - 1  # every later token needs at least one word
        for end in range(wi + 1, len(words) - later + 1):
            fill = self._fill(slot_type, words[wi:end])
            if fill is not None:
                yield from self._walk(sample, ti + 1, words, end, {**slots, value: fill})

    def _fill(self, slot_type: str, words: list[str]) -> SlotFill | None:
        spoken = " ".join(words)
        if slot_type in self.values:
            found = self.values[slot_type].get(tuple(words))
            return SlotFill(spoken, found[0], found[1]) if found else None
        if slot_type == "AMAZON.TIME":
            time = spoken_time(words)
            return SlotFill(time) if time else None
        return SlotFill(spoken)

    def _no_match(self, words: list[str]) -> Match:
        if FALLBACK in self.intents:
            return Match(FALLBACK, {}, {})
        # Without a fallback intent a device sends the nearest intent it has; so do we.
        nearest = max(self.samples, key=lambda s: (len(s.literals & set(words)), -s.order))
        return Match(nearest.intent, {}, dict(self.intents[nearest.intent]))
