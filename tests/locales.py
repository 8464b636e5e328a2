"""The English locales the skill speaks, and the words and hours a test expects to differ between
them."""

from datetime import datetime, timezone

LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]

# What the skill calls the doctor people book with.
DOCTOR = {"en-US": "doctor", "en-GB": "GP", "en-CA": "doctor", "en-AU": "GP", "en-IN": "doctor"}

# The number to call with chest pain or trouble breathing, as it reads in text.
EMERGENCY = {"en-US": "911", "en-GB": "999", "en-CA": "911", "en-AU": "000", "en-IN": "112"}

# When a test in each locale talks, unless it says otherwise: day where the stand-in for Alexa's
# Settings API puts the device (London), and day everywhere most of the locale's country lives,
# which is what a cramp answer goes by when it cannot wait for the device's time zone
# (skill.local_time.LIKELY_ZONES). No one instant is day from Perth to Los Angeles.
DAYTIME = {
    "en-US": datetime(2024, 6, 14, 16, 0, tzinfo=timezone.utc),  # noon in New York, 9:00 in LA
    "en-GB": datetime(2024, 6, 14, 12, 0, tzinfo=timezone.utc),
    "en-CA": datetime(2024, 6, 14, 16, 0, tzinfo=timezone.utc),  # noon in Toronto
    "en-AU": datetime(2024, 6, 14, 8, 0, tzinfo=timezone.utc),   # 18:00 in Sydney, 16:00 in Perth
    "en-IN": datetime(2024, 6, 14, 12, 0, tzinfo=timezone.utc),  # 17:30 in Kolkata
}
