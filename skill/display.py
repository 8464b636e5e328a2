"""What the skill shows as well as says: a card in the Alexa app, and a screen (APL) on devices
that have one. The words come from plain-text templates (`responses/<locale>/<key>.txt.j2`), the
layout from `responses/apl/walkthrough.json`; nothing here is English.

Call these after `respond.ask`/`tell`: they add to the response being built, and the screen's
countdown follows the timeline of the speech already set (`skill/timeline.py`): it starts when
the voice reaches the first hold, holds still while a cue is spoken, and reaches zero at "and
relax".
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

from ask_sdk_model.ui import SimpleCard

from skill import timeline
from skill.respond import voice
from skill.speech import RESPONSES_DIR

logger = logging.getLogger(__name__)

APL_DOCUMENT = RESPONSES_DIR / "apl" / "walkthrough.json"
APL_TOKEN = "legCrampHelper"


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
    ssml = getattr(speech, "ssml", None)
    countdown = timeline.countdown(ssml, hold_seconds, rest_seconds, repetitions)
    starts_after = countdown[0]["toMs"] if countdown else 0
    properties = {
        "title": "", "instruction": "", "progress": "", "hold": "", "rest": "",
        **fields,
        "holdSeconds": int(hold_seconds),
        "restSeconds": int(rest_seconds),
        "repetitions": max(1, int(repetitions)),
        # When the first hold begins, and the whole countdown, from the speech's own timeline.
        "startsAfterMs": int(starts_after),
        "countdown": countdown,
        "night": bool(night),
    }
    handler_input.response_builder.add_directive(RenderDocumentDirective(
        token=APL_TOKEN, document=apl_document(),
        datasources={"screen": {"type": "object", "properties": properties}}))
