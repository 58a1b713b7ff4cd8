"""The screen kit: one base screen, one inline editor, one committer, one
status line, one set of dialogs and one sanitiser for every screen."""

from screens.kit.base import CockpitScreen, Changed, Described
from screens.kit.committer import Commit, Committer, Job
from screens.kit.editor import EditField, InlineEditor, amount_text, parse_amount
from screens.kit.search import SearchBar
from screens.kit.status import StatusLine
from screens.kit.text import plain, safe

__all__ = ["CockpitScreen", "Changed", "Described", "Commit", "Committer", "Job", "EditField",
           "InlineEditor", "amount_text", "parse_amount", "SearchBar", "StatusLine", "plain", "safe"]
