"""What Alexa heard for a slot: shared by the envelope builder and the utterance matcher."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SlotFill:
    """What Alexa heard for a slot: the spoken words and, if they matched a value or synonym of
    a custom slot type, that value's id and canonical name (entity resolution)."""

    value: str
    id: str | None = None
    name: str | None = None
