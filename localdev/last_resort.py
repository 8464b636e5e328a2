"""Writes each locale's last resort (skill.speech.LAST_RESORT): what the `error` answer says about
a cramp, rendered once, by day, and kept as plain SSML so that it can be said when the templates
themselves cannot be rendered. tests/test_speech.py checks that it has not drifted from them.

    python -m localdev.last_resort

A locale folder gets a file of its own only where its words differ from the default locale's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from skill.speech import DEFAULT_LOCALE, LAST_RESORT, Speech


def rendered(speech: Speech, locale: str) -> str:
    return speech.render(locale, "error", cramp=True, closing=True)


def write(speech: Speech | None = None) -> list[Path]:
    """Write the files; the paths written."""
    speech = speech or Speech()
    default = rendered(speech, DEFAULT_LOCALE)
    written = []
    for folder in sorted(speech.folders):
        text = rendered(speech, folder)
        path = speech.root / folder / LAST_RESORT
        if folder == DEFAULT_LOCALE or text != default:
            path.write_text(text + "\n", encoding="utf-8")
            written.append(path)
        elif path.exists():
            path.unlink()
    return written


if __name__ == "__main__":
    for path in write():
        print(path)
    sys.exit(0)
