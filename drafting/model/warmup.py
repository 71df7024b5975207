"""Get the embedded model ready while the user is still pasting and anonymising.

Starting the server and reading the system prompt (the same for every draft) take tens of seconds
on a laptop CPU; done in a background thread when the app opens, they are over by the time the
user asks for a draft, which then reads only its own transcript. Only for the embedded model,
and only when it is installed and prepared: nothing is downloaded or built here, and a cloud
endpoint is never sent a request the user did not ask for.
"""

from __future__ import annotations

import logging
import threading

from drafting.anonymise.roster import Roster
from drafting.draft.conversation import prime
from drafting.errors import DraftingError
from drafting.model import server
from drafting.model.connect import client_from_settings
from drafting.model.weights import is_prepared, spec_for
from drafting.settings import Settings

log = logging.getLogger(__name__)


def wanted(settings: Settings) -> bool:
    """Whether warming up makes sense: the embedded model, installed and prepared."""
    if settings.backend != "embedded" or not server.runtime_installed():
        return False
    spec = spec_for(settings.postmortem_embedded_size)
    return is_prepared(spec, settings.postmortem_model_cache)


def start(settings: Settings) -> threading.Thread | None:
    """Start the server and prime it in a daemon thread; None when there is nothing to warm."""
    if not wanted(settings):
        return None
    thread = threading.Thread(target=warm, args=(settings,), name="model-warmup", daemon=True)
    thread.start()
    return thread


def warm(settings: Settings) -> bool:
    """Start (or reuse) the server and have it read the system prompt; False if that failed.

    A failure is only logged: the draft itself starts the server again and reports any error.
    """
    try:
        client = client_from_settings(Roster(entries=[]), settings)
        usage = prime(client)
    except DraftingError as err:
        log.warning("Model warm-up skipped: %s", err)
        return False
    log.info("Model warm-up read %d prompt tokens in %.1f s", usage.prompt_tokens, usage.seconds)
    return True
