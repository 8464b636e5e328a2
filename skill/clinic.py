"""The clinic that deploys the skill: its name, phone number and booking address.

Configuration, not code: `template.yaml` passes its ClinicName, ClinicPhone and ClinicBookingUrl
parameters as environment variables. Without a name and a way to reach the clinic, the skill
speaks general advice and offers no card.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str = ""
    booking_url: str = ""


def configured() -> Clinic | None:
    """The clinic from the environment, read on each use (a test or a redeploy may change it)."""
    name = os.environ.get("CLINIC_NAME", "").strip()
    phone = os.environ.get("CLINIC_PHONE", "").strip()
    booking_url = os.environ.get("CLINIC_BOOKING_URL", "").strip()
    if not name or not (phone or booking_url):
        return None
    return Clinic(name, phone, booking_url)
