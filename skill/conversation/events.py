"""Skill events Alexa sends outside any conversation (subscribed to in `skill.json`)."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_request_type

from skill.memory import forget
from skill.respond import silent


class SkillDisabledHandler(AbstractRequestHandler):
    """Someone disabled the skill: forget everything it remembered about them."""

    def can_handle(self, handler_input):
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input):
        forget(handler_input)
        return silent(handler_input)
