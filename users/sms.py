"""Text messages to a person's mobile number, through a sender a province sets up.

``settings.SMS_BACKEND`` is the dotted path of a class whose instances have
``send(phone: str, text: str)`` (the phone as +84XXXXXXXXX); it raises when the
message could not be handed over. Empty: the site sends no text messages, so
mobile numbers are not confirmed and password resets go by email only.

Two senders come with the site: ``ConsoleBackend`` writes each message to the
console (development) and ``LocmemBackend`` keeps them in ``outbox`` (tests).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def get_sender() -> SmsSender | None:
    """Return the configured sender, or None when the site sends no SMS."""
    path = getattr(settings, "SMS_BACKEND", "") or ""
    return import_string(path)() if path else None


def sms_enabled() -> bool:
    return bool(getattr(settings, "SMS_BACKEND", ""))


def send_sms(*, phone: str, text: str) -> bool:
    """Send the text to the phone; return whether a sender took it."""
    sender = get_sender()
    if sender is None:
        return False
    sender.send(phone, text)
    return True


class ConsoleBackend:
    """Write each message to standard output instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


@dataclass(frozen=True)
class Message:
    phone: str
    text: str


# The messages LocmemBackend "sent", oldest first; tests empty it.
outbox: list[Message] = []


class LocmemBackend:
    """Keep each message in ``users.sms.outbox``."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(Message(phone=phone, text=text))
