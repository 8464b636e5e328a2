"""Alexa's rules for a response, checked on every response the suite produces.

SSML: root <speak>, only Alexa's tags, <break> at most 10 s, at most 5 <audio>, under 8,000
characters. A response that keeps the session open ends by prompting and carries a reprompt; one
that does not prompt closes. SessionEndedRequest gets no speech. APL only where supported.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

ALEXA_TAGS = {"speak", "p", "s", "break", "emphasis", "prosody", "say-as", "sub", "phoneme",
              "lang", "voice", "w", "audio", "amazon_effect", "amazon_domain", "amazon_emotion"}
MAX_SSML_CHARS = 8000
MAX_BREAK_SECONDS = 10
MAX_AUDIO = 5


def _seconds(value: str) -> float | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", value or "")
    if not match:
        return None
    return float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)


def ssml_problems(ssml: str) -> list[str]:
    problems = []
    if len(ssml) >= MAX_SSML_CHARS:
        problems.append(f"SSML is {len(ssml)} characters (limit {MAX_SSML_CHARS})")
    try:
        root = ElementTree.fromstring(ssml.replace("amazon:", "amazon_"))
    except ElementTree.ParseError as error:
        return problems + [f"SSML is not well-formed: {error}"]
    if root.tag != "speak":
        problems.append(f"root is <{root.tag}>, not <speak>")
    audio = 0
    for element in root.iter():
        if element.tag not in ALEXA_TAGS:
            problems.append(f"<{element.tag}> is not an Alexa SSML tag")
        if element.tag == "break" and "time" in element.attrib:
            seconds = _seconds(element.attrib["time"])
            if seconds is None or seconds > MAX_BREAK_SECONDS:
                problems.append(f'<break time="{element.attrib["time"]}"/> is over 10 s')
        audio += element.tag == "audio"
    if audio > MAX_AUDIO:
        problems.append(f"{audio} <audio> tags (limit {MAX_AUDIO})")
    return problems


def _prompts(text: str) -> bool:
    last_sentence = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    return text.rstrip().endswith("?") or bool(re.search(r"\bsay\b", last_sentence, re.I))


def response_problems(request: dict, raw: dict) -> list[str]:
    from localdev.envelopes import Reply

    reply = Reply(raw)
    problems = []
    if raw.get("version") != "1.0":
        problems.append("response envelope version is not 1.0")
    request_type = (request.get("request") or {}).get("type")
    response = reply.response
    if request_type == "CanFulfillIntentRequest":
        # A question about ability, asked before the skill is chosen: answered, never spoken to.
        for part in ("outputSpeech", "reprompt", "card", "directives"):
            if response.get(part):
                problems.append(f"CanFulfillIntentRequest was answered with {part}")
        if not (response.get("canFulfillIntent") or {}).get("canFulfill"):
            problems.append("CanFulfillIntentRequest got no canFulfillIntent answer")
        return problems
    if request_type == "SessionEndedRequest":
        if response.get("outputSpeech") or response.get("reprompt"):
            problems.append("SessionEndedRequest was answered with speech")
        return problems
    for ssml in filter(None, (reply.ssml, reply.reprompt_ssml)):
        problems += ssml_problems(ssml)
    if response.get("shouldEndSession") is False:
        if not reply.reprompt_ssml:
            problems.append("session stays open without a reprompt")
        if reply.ssml and not _prompts(reply.text):
            problems.append(f"session stays open but the speech does not prompt: {reply.text!r}")
    elif reply.reprompt_ssml:
        problems.append("a reprompt on a response that closes the session")
    interfaces = (((request.get("context") or {}).get("System") or {}).get("device") or {}).get(
        "supportedInterfaces") or {}
    for directive in reply.directives:
        if directive.get("type", "").startswith("Alexa.Presentation.APL") and \
                "Alexa.Presentation.APL" not in interfaces:
            problems.append("APL directive sent to a device without a screen")
    return problems
