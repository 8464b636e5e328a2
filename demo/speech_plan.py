"""What a browser needs to say an SSML answer as Alexa would: a list of things to say and silences
to keep, each with how long it takes.

    plan('<speak><prosody volume="soft" rate="90%">Hold it. <break time="10s"/> And relax.'
         '</prosody></speak>')
    -> [Said("Hold it.", "Hold it.", 1.2, rate=0.9, volume=0.5, ...), Pause(10.0),
        Said("And relax.", ...)]

The timing is the skill's own (`skill/timeline.py`): where each break starts is read with the same
model of Alexa's pace that places an Echo Show's countdown, so a page that paces its speech by
these seconds (a browser with no voice) stays with the screen. The text between two breaks is
split where the voice changes (a prosody, an effect, a language), and the seconds are shared out
by the same model.

Each `Said` carries the words as written (`text`, for the transcript) and as they are spoken
(`say`: digits read one by one, a `<sub>`'s alias), and the voice: rate and pitch as multiples of
the normal, volume from 0 to 1 (Alexa's "medium" is 0.8, so that "loud" can be louder).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser

from skill import timeline

# Alexa's named values, as multiples of the normal voice (Alexa's own documentation gives the
# names, not the numbers: these are what a browser's voice can do with them).
RATES = {"x-slow": 0.6, "slow": 0.8, "medium": 1.0, "fast": 1.25, "x-fast": 1.5}
PITCHES = {"x-low": 0.7, "low": 0.85, "medium": 1.0, "high": 1.15, "x-high": 1.3}
VOLUMES = {"silent": 0.0, "x-soft": 0.3, "soft": 0.5, "medium": 0.8, "loud": 0.9, "x-loud": 1.0}
NORMAL_VOLUME = VOLUMES["medium"]
_PERCENT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)%\s*$")
_DECIBELS = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)dB\s*$", re.I)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Voice:
    rate: float = 1.0
    pitch: float = 1.0
    volume: float = NORMAL_VOLUME
    lang: str | None = None
    whispered: bool = False


@dataclass
class Said:
    text: str
    say: str
    seconds: float = 0.0
    rate: float = 1.0
    pitch: float = 1.0
    volume: float = NORMAL_VOLUME
    lang: str | None = None
    whispered: bool = False
    kind: str = field(default="speech", init=False)


@dataclass
class Pause:
    seconds: float
    kind: str = field(default="pause", init=False)


@dataclass
class Sound:
    """An `<audio>` clip: named, never fetched (nothing leaves the machine)."""

    src: str
    seconds: float = 0.0
    kind: str = field(default="sound", init=False)


Item = Said | Pause | Sound


def _rate(value: str, current: float) -> float:
    if value in RATES:
        return RATES[value]
    percent = _PERCENT.match(value)
    return float(percent.group(1)) / 100 if percent else current


def _pitch(value: str, current: float) -> float:
    if value in PITCHES:
        return PITCHES[value]
    percent = _PERCENT.match(value)
    return current * (1 + float(percent.group(1)) / 100) if percent else current


def _volume(value: str, current: float) -> float:
    if value in VOLUMES:
        return VOLUMES[value]
    decibels = _DECIBELS.match(value)
    if decibels:
        return min(1.0, current * 10 ** (float(decibels.group(1)) / 20))
    return current


def _break_seconds(attributes: dict[str, str | None]) -> float:
    # The same reading as the timeline's: a break without a time is not timed.
    time = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", (attributes.get("time") or "").strip())
    if not time:
        return 0.0
    return float(time.group(1)) / (1000 if time.group(2) == "ms" else 1)


def _spoken_as(interpret_as: str, text: str) -> str:
    """How a `<say-as>` is read aloud: digits and letters one by one, a phone number digit by
    digit in its groups; anything else as written."""
    if interpret_as in ("digits", "characters", "spell-out"):
        return " ".join(ch for ch in text if not ch.isspace())
    if interpret_as == "telephone":
        return " ".join(" ".join(group) for group in re.findall(r"\d+|[A-Za-z]+", text))
    return text


class _Reader(HTMLParser):
    """Walks the SSML: text in its voice, breaks, sounds. Tags it does not know are read through
    (their text is said), as Alexa reads the text of an element it does not style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.voices: list[tuple[str, Voice]] = [("speak", Voice())]
        self.events: list[tuple[str, object]] = []
        # Inside a <say-as> or <sub>: what is said instead of the text.
        self.reading: list[tuple[str, str, list[str]]] = []

    @property
    def voice(self) -> Voice:
        return self.voices[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        voice = self.voice
        if tag == "break":
            self.events.append(("break", _break_seconds(attributes)))
            return
        if tag == "audio":
            self.events.append(("sound", attributes.get("src") or ""))
            return
        if tag == "prosody":
            voice = Voice(_rate(attributes.get("rate") or "", voice.rate),
                          _pitch(attributes.get("pitch") or "", voice.pitch),
                          _volume(attributes.get("volume") or "", voice.volume),
                          voice.lang, voice.whispered)
        elif tag == "amazon:effect" and attributes.get("name") == "whispered":
            voice = Voice(voice.rate, voice.pitch, min(voice.volume, VOLUMES["x-soft"]),
                          voice.lang, True)
        elif tag == "emphasis":
            level = attributes.get("level") or "moderate"
            if level == "strong":
                voice = Voice(voice.rate * 0.9, voice.pitch, min(1.0, voice.volume * 1.15),
                              voice.lang, voice.whispered)
            elif level == "reduced":
                voice = Voice(voice.rate * 1.1, voice.pitch, voice.volume * 0.85, voice.lang,
                              voice.whispered)
        elif tag in ("lang", "voice") and attributes.get("xml:lang"):
            voice = Voice(voice.rate, voice.pitch, voice.volume, attributes["xml:lang"],
                          voice.whispered)
        elif tag == "say-as":
            self.reading.append(("say-as", attributes.get("interpret-as") or "", []))
        elif tag == "sub":
            self.reading.append(("sub", attributes.get("alias") or "", []))
        self.voices.append((tag, voice))

    def handle_startendtag(self, tag, attrs):
        if tag in ("break", "audio"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("say-as", "sub") and self.reading and self.reading[-1][0] == tag:
            kind, value, texts = self.reading.pop()
            written = "".join(texts)
            spoken = value if kind == "sub" else _spoken_as(value, written)
            self._words(written, spoken)
        # Close the innermost open element of this name (and any left open inside it).
        for index in range(len(self.voices) - 1, 0, -1):
            if self.voices[index][0] == tag:
                del self.voices[index:]
                break

    def handle_data(self, data):
        if self.reading:
            self.reading[-1][2].append(data)
        else:
            self._words(data, data)

    def _words(self, text: str, say: str) -> None:
        self.events.append(("words", (text, say, self.voice)))


def _runs(events: list[tuple[str, object]]) -> list[list[Item]]:
    """The items between breaks (one list per gap: before the first break, between each two,
    after the last), text joined while the voice stays the same, and the breaks themselves."""
    gaps: list[list[Item]] = [[]]
    for kind, value in events:
        if kind == "break":
            gaps.append([])
        elif kind == "sound":
            gaps[-1].append(Sound(str(value)))
        else:
            text, say, voice = value  # type: ignore[misc]
            last = gaps[-1][-1] if gaps[-1] else None
            if isinstance(last, Said) and _voice_of(last) == voice:
                last.text += text
                last.say += say
            else:
                gaps[-1].append(Said(text, say, 0.0, voice.rate, voice.pitch, voice.volume,
                                     voice.lang, voice.whispered))
    for gap in gaps:
        for item in gap:
            if isinstance(item, Said):
                item.text = _SPACES.sub(" ", item.text).strip()
                item.say = _SPACES.sub(" ", item.say).strip()
        gap[:] = [item for item in gap if not isinstance(item, Said) or item.text or item.say]
    return gaps


def _voice_of(said: Said) -> Voice:
    return Voice(said.rate, said.pitch, said.volume, said.lang, said.whispered)


def _own_seconds(said: Said) -> float:
    """The timeline's seconds for this text at this rate (its model of Alexa's pace)."""
    seconds, _ = timeline.said_seconds(said.text)
    return seconds / (said.rate or 1.0)


def plan(ssml: str | None) -> list[Item]:
    """The SSML as things to say and silences to keep, in order, each with its seconds."""
    if not ssml:
        return []
    reader = _Reader()
    reader.feed(ssml)
    reader.close()
    gaps = _runs(reader.events)
    pauses = [value for kind, value in reader.events if kind == "break"]
    found, total = timeline.breaks(ssml)
    # The timeline's start of each break, and where the speech ends.
    if len(found) == len(pauses):
        edges = [0.0] + [edge for b in found for edge in (b.start, b.end)] + [total]
    else:  # not the same reading of the breaks: each text at its own pace instead
        edges = None
    items: list[Item] = []
    for index, gap in enumerate(gaps):
        said = [item for item in gap if isinstance(item, Said)]
        own = sum(_own_seconds(item) for item in said)
        if edges is not None:
            seconds = max(0.0, edges[2 * index + 1] - edges[2 * index])
        else:
            seconds = own
        for item in said:
            share = _own_seconds(item) / own if own else 1 / len(said)
            item.seconds = round(seconds * share, 3)
        items.extend(gap)
        if index < len(pauses) and float(pauses[index]) > 0:
            items.append(Pause(round(float(pauses[index]), 3)))
    return items


def as_json(items: list[Item]) -> list[dict]:
    return [asdict(item) for item in items]
