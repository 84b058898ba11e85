"""A local SMTP sink for development and tests: keeps every message as an .eml file.

Run by `make run` (and by the integration tests) as
`python -m aiosmtpd -n -l 127.0.0.1:1025 -c kvinnofrid.mailsink.MailSink var/mail`.
It prints each message's text part so that a sign-in link can be followed from the terminal.
"""

import email
import email.policy
import itertools
import sys
from datetime import UTC, datetime
from pathlib import Path


class MailSink:
    _counter = itertools.count(1)

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("MailSink needs one argument: the folder to keep messages in")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.directory / f"{stamp}-{next(self._counter):04d}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        print(
            f"\n--- mail to {', '.join(envelope.rcpt_tos)}: {message['subject']} ({path.name})\n"
            f"{body.get_content() if body else ''}\n--- end of mail",
            flush=True,
            file=sys.stdout,
        )
        return "250 Message accepted for delivery"


def read_messages(directory: str | Path) -> list[email.message.EmailMessage]:
    """Every message the sink has kept in `directory`, oldest first."""
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(Path(directory).glob("*.eml"))
    ]
