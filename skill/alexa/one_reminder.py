"""The person's stretch reminder, kept to one, whatever the Reminders API answered before.

A create whose answer came late or garbled may have made the reminder all the same; a person told
"I couldn't" asks again, and each ask would make another. So nothing here trusts an unclear
answer: after one, the skill's own reminders are listed (the API lists only those the calling
skill made, all of them stretch reminders) and settled: one rings, at the time asked for if it
was set, and what is said is what the list shows. Setting without a known token lists them first
(a reminder from a session whose answer never arrived is changed, not joined by another), and
cancelling deletes every one listed.

Every call has its own budget and the invocation's deadline over all of them
(skill/alexa/api_client.py): a chain of calls cannot outlast the Lambda timeout. NotPermitted is
no ReminderFailed: nothing here catches it, and it reaches the handler (the consent card).
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.alexa import reminders_api
from skill.alexa.reminders_api import ClockTime, Gone, Held, ReminderFailed, Unclear


@dataclass(frozen=True)
class Kept:
    """The reminder rings at the time asked for."""
    token: str
    # An existing reminder of the skill's now rings then (none was created).
    replaced: bool
    # Other reminders of the skill's that could not be deleted.
    left_over: int = 0


class NotSet(ReminderFailed):
    """Not set: the reminder that still rings instead, if one does (`kept`)."""

    def __init__(self, kept: Held | None = None):
        super().__init__("the reminder was not set")
        self.kept = kept


class Unsure(ReminderFailed):
    """Whether it was set cannot be told: the answer was unclear, and so was the list after it."""


@dataclass(frozen=True)
class Cancelled:
    deleted: int
    # The skill's reminders that could not be deleted.
    left: int = 0
    # The list could not be read: only the reminder the skill knew of was deleted.
    unchecked: bool = False


def set_daily(handler_input, at: ClockTime, text: str, zone: str | None,
              known: str | None) -> Kept:
    """One daily reminder at `at`: the one the skill knows of (`known`) changed, else one it made
    before, else a new one; any others deleted. NotPermitted, NotSet or Unsure otherwise."""
    reminder = reminders_api.daily_request(handler_input, at, text, zone)
    if known:
        kept = _changed(handler_input, Held(known, None), reminder, at)
        if kept is not None:
            return kept
    held = reminders_api.listed(handler_input)
    if held:
        keep = _pick(held, at, known)
        left = _delete_all(handler_input, [each for each in held if each is not keep])
        if keep.at == at:
            return Kept(keep.token, replaced=True, left_over=left)
        kept = _changed(handler_input, keep, reminder, at, left)
        if kept is not None:
            return kept
    try:
        return Kept(reminders_api.create(handler_input, reminder), replaced=False)
    except Unclear:
        return settle(handler_input, at, None)


def _changed(handler_input, held: Held, reminder, at: ClockTime, left_over: int = 0
             ) -> Kept | None:
    """`held` changed to ring at `at`; None if it is gone (deleted in the Alexa app since: as if
    it were never there). After an unclear answer, what the list shows; NotSet if refused, with
    `held` still ringing as it did."""
    try:
        reminders_api.update(handler_input, held.token, reminder)
        return Kept(held.token, replaced=True, left_over=left_over)
    except Gone:
        return None
    except Unclear:
        return settle(handler_input, at, held.token)
    except ReminderFailed:
        raise NotSet(held) from None


def settle(handler_input, at: ClockTime, known: str | None) -> Kept:
    """After an unclear answer: what the API holds decides. One ringing at `at` is kept (the known
    one first) and the others deleted; with none at `at`, NotSet, with one of those there kept as
    the one that still rings; with no list, Unsure."""
    try:
        held = reminders_api.listed(handler_input)
    except ReminderFailed as error:
        raise Unsure(str(error)) from error
    ringing = [each for each in held if each.at == at]
    if ringing:
        keep = _pick(ringing, at, known)
        left = _delete_all(handler_input, [each for each in held if each is not keep])
        return Kept(keep.token, replaced=known is not None, left_over=left)
    if not held:
        raise NotSet()
    keep = _pick(held, at, known)
    _delete_all(handler_input, [each for each in held if each is not keep])
    raise NotSet(keep)


def cancel_all(handler_input, known: str | None) -> Cancelled:
    """Delete every reminder the skill made for the person. If they cannot be listed, the one the
    skill knows of (`unchecked`); NotPermitted, or ReminderFailed if nothing could be done."""
    try:
        held = reminders_api.listed(handler_input)
    except ReminderFailed:
        if not known:
            raise
        left = _delete_all(handler_input, [Held(known, None)])
        if left:
            raise
        return Cancelled(deleted=1, unchecked=True)
    left = _delete_all(handler_input, held)
    return Cancelled(deleted=len(held) - left, left=left)


def _pick(held: list[Held], at: ClockTime, known: str | None) -> Held:
    """The reminder to keep: the known one, else one ringing at `at`, else the first."""
    return next((each for each in held if each.token == known),
                next((each for each in held if each.at == at), held[0]))


def _delete_all(handler_input, doomed: list[Held]) -> int:
    """Delete each; how many are still there. A delete answered unclearly is checked against a
    fresh list (counted as still there if that cannot be read either)."""
    left, unclear = 0, []
    for each in doomed:
        try:
            reminders_api.delete(handler_input, each.token)
        except Gone:
            pass  # deleted meanwhile: gone all the same
        except Unclear:
            unclear.append(each.token)
        except ReminderFailed:
            left += 1
    if unclear:
        try:
            still = {each.token for each in reminders_api.listed(handler_input)}
        except ReminderFailed:
            still = set(unclear)
        left += sum(token in still for token in unclear)
    return left
