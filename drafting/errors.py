"""The project's one error hierarchy.

Every error a user can cause or meet derives from :class:`DraftingError`; its message is one clear
sentence. The CLI and the app print that sentence and nothing else (no traceback).
"""


class DraftingError(Exception):
    """Base class: ``str(err)`` is a complete sentence fit to show a user."""


class InputError(DraftingError):
    """The input is missing, empty, binary, too large or otherwise unreadable."""


class TranscriptError(InputError):
    """A transcript could not be parsed (for example: a Slack export that is not valid JSON)."""


class LeakError(DraftingError):
    """A text about to leave the process still holds a name, contact detail or secret."""


class ConfigError(DraftingError):
    """Configuration (environment, pyproject, roles file) is invalid."""


class LLMError(DraftingError):
    """The model endpoint failed: unreachable, timed out, refused, or returned an HTTP error."""


class OutputInvalidError(LLMError):
    """The model's output did not validate against the stage's schema after bounded re-asks."""


class ModelNotInstalledError(LLMError):
    """The embedded model (runtime or weights) is not installed or prepared."""


class StoreError(DraftingError):
    """The local SQLite store could not be opened or migrated."""


class LintError(DraftingError):
    """A lint rule file or lint configuration is invalid."""


class VersionConflict(StoreError):
    """A draft was saved against a version that is no longer current: kept, but not made current.

    Attributes:
        kept_version_id: the version the saved text was kept as (kind ``conflict``).
        current_version_id: the current version, someone else's newer save (None: no version).
    """

    def __init__(
        self, message: str, *, kept_version_id: int, current_version_id: int | None
    ) -> None:
        super().__init__(message)
        self.kept_version_id = kept_version_id
        self.current_version_id = current_version_id
