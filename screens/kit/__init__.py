"""The screen kit: one base screen, one inline editor, one committer, one
status line, one set of dialogs and one sanitiser for every screen."""

from .base import CockpitScreen, Changed, Described
from .committer import Commit, Committer, Job
from .editor import EditField, InlineEditor, amount_text, parse_amount
from .status import StatusLine
from .text import plain, safe

__all__ = ["CockpitScreen", "Changed", "Described", "Commit", "Committer", "Job", "EditField",
           "InlineEditor", "amount_text", "parse_amount", "StatusLine", "plain", "safe"]
