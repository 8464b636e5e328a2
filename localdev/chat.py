"""Talk to the skill in a terminal, as to an Echo: no AWS account, no network.

    make chat                                   # .venv/bin/python -m localdev.chat
    python -m localdev.chat --say "open leg cramp helper" --say "my calf" --say "stop"

Each line is matched against `interaction_models/<locale>.json` (localdev.matcher), sent as a real
request envelope through the same `handler(event, context)` Lambda calls (localdev.envelopes),
and Alexa's answer is printed as text, followed by whether the microphone stays open.
A first line without "open leg cramp helper" is a one-shot, like "Alexa, ask leg cramp helper ...".
The device's time zone comes from a local stand-in for the Alexa Settings API (--time-zone), and
--at sets its clock: between 22:00 and 07:00 the skill answers in its soft night voice.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import datetime, time, timezone
from typing import Callable, Iterable, TextIO
from zoneinfo import ZoneInfo

from localdev.api_stand_in import AlexaApiStandIn
from localdev.envelopes import DEFAULT_SKILL_ID, Conversation, Device, Reply
from localdev.matcher import Matcher, normalize

HINT = ('Talk to Leg Cramp Helper as to an Echo: "open leg cramp helper", '
        '"i have a cramp in my calf", "help"... Type "exit" to end.')
LISTENING = "(listening...)"
CLOSED = "(session closed)"
EXIT_WORDS = {"exit", "quit", "goodbye alexa", "bye alexa"}
SKILL_FAILED = "There was a problem with the requested skill's response."


def is_exit(line: str) -> bool:
    return normalize(line) in EXIT_WORDS


def turn(conversation: Conversation, matcher: Matcher, line: str) -> Reply:
    """One utterance, as a device sends it: a launch, or the matched intent with its slots.
    (The same steps as `Conversation.say`, with the matcher chosen by the caller.)"""
    match = matcher.match(line, eliciting=conversation.eliciting())
    if match.intent is None:
        return conversation.launch()
    conversation.slot_types = {**conversation.slot_types, match.intent: match.slot_types}
    return conversation.intent(match.intent, **match.slots)


def show(conversation: Conversation, out: TextIO, show_json: bool = False) -> None:
    """Print the last turn: the envelopes if asked, what Alexa says, and the microphone state."""
    envelope, reply = conversation.history[-1]
    if show_json:
        out.write("request: " + json.dumps(envelope, indent=2) + "\n")
        out.write("response: " + json.dumps(reply.raw, indent=2) + "\n")
    if envelope["request"]["type"] != "SessionEndedRequest":
        softly = " (softly)" if '<prosody volume="soft"' in (reply.ssml or "") else ""
        out.write(f"alexa{softly}: {reply.text or '(says nothing)'}\n")
        for directive in reply.directives:
            if directive.get("type", "").startswith("Alexa.Presentation"):
                out.write(f"(screen: {directive.get('type')})\n")
            else:
                out.write(f"(directive: {directive.get('type')} {directive.get('name', '')})\n")
        if reply.card:
            out.write(f"(card in the Alexa app: {reply.card.get('title', reply.card['type'])})\n")
    out.write((CLOSED if reply.ends_session else LISTENING) + "\n")


def end_session(conversation: Conversation, out: TextIO, show_json: bool = False) -> None:
    """What a device does when the person walks away: SessionEndedRequest, if a session is open."""
    if conversation.in_session:
        conversation.end("USER_INITIATED")
        show(conversation, out, show_json)


def say(conversation: Conversation, matcher: Matcher, line: str, out: TextIO,
        show_json: bool = False) -> bool:
    """One turn, printed. If the skill raises, print the traceback and close the session as a
    device would (it says there was a problem and stops listening); return whether it worked."""
    try:
        turn(conversation, matcher, line)
        envelope, reply = conversation.history[-1]
        asks = [d for d in reply.directives if d.get("name") == "AskFor"]
        if asks:
            # Alexa's part: it asks for the reminders permission in its own voice.
            show(conversation, out, show_json)
            out.write("(Alexa asks for permission to use reminders; here, you say yes)\n")
            conversation.permission_answer("ACCEPTED", asks[0].get("token", ""))
    except Exception:
        traceback.print_exc()
        conversation.session_id, conversation.attributes = None, {}
        out.write(f"alexa: {SKILL_FAILED}\n{CLOSED}\n")
        return False
    show(conversation, out, show_json)
    return True


def run_script(lines: Iterable[str], conversation: Conversation, out: TextIO = sys.stdout, *,
               matcher: Matcher | None = None, show_json: bool = False) -> int:
    """Say each line in turn and print the transcript; an exit word ends the session and stops.
    Returns 0, or 1 if the skill raised on any turn."""
    matcher = matcher or Matcher.for_locale(conversation.locale)
    failed = False
    for line in lines:
        out.write(f"you: {line}\n")
        if is_exit(line):
            end_session(conversation, out, show_json)
            break
        failed |= not say(conversation, matcher, line, out, show_json)
    return 1 if failed else 0


def run_interactive(conversation: Conversation, *, matcher: Matcher | None = None,
                    show_json: bool = False, read: Callable[[str], str] = input,
                    out: TextIO = sys.stdout) -> int:
    """The console: read a line, answer it, until "exit", Ctrl-D or Ctrl-C."""
    matcher = matcher or Matcher.for_locale(conversation.locale)
    out.write(HINT + "\n")
    try:
        while True:
            try:
                line = read("you> ").strip()
            except EOFError:
                out.write("\n")
                break
            if is_exit(line):
                break
            if line:
                say(conversation, matcher, line, out, show_json)
        end_session(conversation, out, show_json)
    except KeyboardInterrupt:
        out.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    # The skill's JSON line per request is for CloudWatch, not for someone talking to it here.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    parser = argparse.ArgumentParser(
        prog="python -m localdev.chat",
        description="Talk to Leg Cramp Helper locally, as to an Echo (no AWS, no network).")
    parser.add_argument("--say", action="append", metavar="TEXT",
                        help="say this and print the transcript instead of opening the console "
                             "(repeat for a conversation)")
    parser.add_argument("--locale", default="en-US", help="request locale (default: en-US)")
    parser.add_argument("--show-json", action="store_true",
                        help="print each request and response envelope")
    parser.add_argument("--screen", action="store_true",
                        help="be a device with a screen (reports APL support)")
    parser.add_argument("--time-zone", type=time_zone, metavar="ZONE",
                        help="the device's time zone, e.g. Europe/London (default: the "
                             "locale's most populous, America/New_York for en-US)")
    parser.add_argument("--at", type=time.fromisoformat, metavar="HH:MM",
                        help="the device's local time for every request (default: now); "
                             "22:00 to 07:00 gets the night voice")
    args = parser.parse_args(argv)
    if args.time_zone is None:
        args.time_zone = time_zone(main_zone(args.locale))

    try:
        matcher = Matcher.for_locale(args.locale)
    except FileNotFoundError as error:
        parser.exit(2, f"error: {error}\n")
    from skill.app import handler  # imported here: loading the skill is the slow part

    with AlexaApiStandIn(time_zone=args.time_zone.key) as alexa_api:
        conversation = Conversation(handler=handler, locale=args.locale,
                                    skill_id=os.environ.get("SKILL_ID") or DEFAULT_SKILL_ID,
                                    device=Device(screen=args.screen, api_endpoint=alexa_api.url),
                                    now=clock(args.time_zone, args.at))
        if args.say:
            return run_script(args.say, conversation, sys.stdout, matcher=matcher,
                              show_json=args.show_json)
        try:
            import readline  # noqa: F401  (line editing and history where available)
        except ImportError:
            pass
        return run_interactive(conversation, matcher=matcher, show_json=args.show_json)


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:
        raise argparse.ArgumentTypeError(f"not a time zone: {name!r}") from None


def main_zone(locale: str) -> str:
    """Where most people of the locale's country live (the first of its likely zones), else UTC:
    a device there hears what a cramp answer guesses before its own time zone is known."""
    from skill.local_time import LIKELY_ZONES

    return LIKELY_ZONES.get(locale.rpartition("-")[2], ("UTC",))[0]


def clock(zone: ZoneInfo, at: time | None) -> Callable[[], datetime]:
    """Now, or today at `at` on the device's clock."""
    if at is None:
        return lambda: datetime.now(timezone.utc)
    moment = datetime.combine(datetime.now(zone).date(), at, tzinfo=zone)
    return lambda: moment.astimezone(timezone.utc)


if __name__ == "__main__":
    sys.exit(main())
