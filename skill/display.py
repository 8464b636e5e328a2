"""What the skill shows as well as says: a card in the Alexa app, and a screen (APL) on devices
that have one. The words come from plain-text templates (`responses/<locale>/<key>.txt.j2`), the
layout from `responses/apl/walkthrough.json`; nothing here is English.

Call these after `respond.ask`/`tell`: they add to the response being built, and the screen's
countdown starts when the voice reaches the hold, which it reads from the speech already set.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache

from ask_sdk_model.ui import SimpleCard

from skill.respond import voice
from skill.speech import RESPONSES_DIR

logger = logging.getLogger(__name__)

APL_DOCUMENT = RESPONSES_DIR / "apl" / "walkthrough.json"
APL_TOKEN = "legCrampHelper"
# Alexa speaks at roughly this pace; the countdown waits for the words before the first pause.
WORDS_PER_MINUTE = 150
_FIRST_BREAK = re.compile(r"<break\b")
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def apl_document() -> dict:
    """The APL document, read once per container (only screens ever need it)."""
    return json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))


def card(handler_input, key: str, **data) -> None:
    """A card in the Alexa app: `title` and `text` from `<key>.txt.j2`."""
    fields = voice(handler_input).fields(key, **data)
    handler_input.response_builder.set_card(SimpleCard(title=fields["title"],
                                                       content=fields["text"]))


def has_screen(handler_input) -> bool:
    try:
        interfaces = handler_input.request_envelope.context.system.device.supported_interfaces
        return interfaces.alexa_presentation_apl is not None
    except AttributeError:
        return False


def seconds_before_first_pause(ssml: str | None) -> float:
    """How long the voice talks before the first <break>: where a hold begins."""
    if not ssml:
        return 0.0
    head = _FIRST_BREAK.split(ssml, maxsplit=1)[0]
    words = len(_TAG.sub(" ", head).split())
    return words * 60 / WORDS_PER_MINUTE


def screen(handler_input, key: str, *, hold_seconds: int = 0, rest_seconds: int = 0,
           repetitions: int = 1, night: bool | None = None, **data) -> None:
    """The walkthrough screen for `<key>.txt.j2`'s words (title, instruction, progress, hold,
    rest), only on a device whose supportedInterfaces include Alexa.Presentation.APL."""
    if not has_screen(handler_input):
        return
    # Imported here: the APL models cost tens of milliseconds, and a speaker never needs them.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    if night is None:
        night = voice(handler_input).night
    fields = voice(handler_input).fields(key, night=night, hold_seconds=hold_seconds,
                                         rest_seconds=rest_seconds, repetitions=repetitions,
                                         **data)
    speech = handler_input.response_builder.response.output_speech
    starts_after = seconds_before_first_pause(getattr(speech, "ssml", None)) if hold_seconds else 0
    properties = {
        "title": "", "instruction": "", "progress": "", "hold": "", "rest": "",
        **fields,
        "holdSeconds": int(hold_seconds),
        "restSeconds": int(rest_seconds),
        "repetitions": max(1, int(repetitions)),
        "startsAfterMs": int(starts_after * 1000),
        "night": bool(night),
    }
    handler_input.response_builder.add_directive(RenderDocumentDirective(
        token=APL_TOKEN, document=apl_document(),
        datasources={"screen": {"type": "object", "properties": properties}}))
