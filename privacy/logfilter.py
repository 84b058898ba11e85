"""A logging filter that masks e-mail addresses in every record it sees.

Configured on the console handler in settings.LOGGING, so it sees every record that is
written, whichever logger it came from (a logger's own filters miss propagated records).
"""

import logging
import re

# Broad on purpose: a false positive costs a masked word, a miss costs an address in a log.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
MASK = "<e-post>"


def mask(text: str) -> str:
    return EMAIL.sub(MASK, text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Render the message once, masked; the arguments go, so nothing renders it again.
        message = record.getMessage()
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True
