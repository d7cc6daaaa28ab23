"""The channels' models, one module per channel (Django looks for them here)."""

from soporte.channels.chat.models import *  # noqa: F403
from soporte.channels.email.models import *  # noqa: F403
from soporte.channels.slack.models import *  # noqa: F403
from soporte.channels.whatsapp.models import *  # noqa: F403
