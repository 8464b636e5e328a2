"""Clients of Alexa's own APIs: the HTTP client the SDK's service clients use, and reminders."""
