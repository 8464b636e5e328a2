"""Reading what Alexa heard in a custom slot."""

from __future__ import annotations


def resolved_id(slot) -> str | None:
    """The value id Alexa resolved a custom slot to, or None: only a resolved id counts, the
    spoken words are never trusted or repeated."""
    try:
        authority = slot.resolutions.resolutions_per_authority[0]
        if authority.status.code.value != "ER_SUCCESS_MATCH":
            return None
        return authority.values[0].value.id
    except (AttributeError, IndexError, TypeError):
        return None
