"""The English locales the skill speaks, and the words a test expects to differ between them."""

LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]

# What the skill calls the doctor people book with.
DOCTOR = {"en-US": "doctor", "en-GB": "GP", "en-CA": "doctor", "en-AU": "GP", "en-IN": "doctor"}

# The number to call with chest pain or trouble breathing, as it reads in text.
EMERGENCY = {"en-US": "911", "en-GB": "999", "en-CA": "911", "en-AU": "000", "en-IN": "112"}
