"""Regular expressions over cells, in the syntax both RE2 (pyarrow) and
Rust's regex (polars) read: the columnar readers' one definition of a cell
the reference rules would change."""

from __future__ import annotations

from functools import lru_cache

# str.isspace() characters (what str.strip() removes), and what safe_text changes.
SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
INVISIBLE = (r"\x00-\x1f\x7f-\x{9f}\x{ad}\x{600}-\x{605}\x{61c}\x{6dd}\x{70f}\x{890}\x{891}\x{8e2}\x{180e}"
              r"\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2060}-\x{206f}\x{feff}\x{fff9}-\x{fffb}\x{110bd}\x{110cd}"
              r"\x{13430}-\x{1343f}\x{1bca0}-\x{1bca3}\x{1d173}-\x{1d17a}\x{e0000}-\x{e007f}\x{2028}\x{2029}")
# A cell clean_text(unguard(cell)) may change: the rest are left as they are.
SUSPECT = rf"^['{SPACE}]|[{SPACE}]$|[{INVISIBLE}]"


def plain_amount(mark: str) -> str:
    """An amount written plainly: an optional minus, at most 15 digits, then
    ``mark`` and one or two decimals (what most ERP exports write)."""
    return rf"^-?[0-9]{{1,15}}(?:{re_escape(mark)}[0-9]{{1,2}})?$"


def re_escape(mark: str) -> str:
    return "\\." if mark == "." else mark


@lru_cache(maxsize=8)
def suspect_in_rows(sep: str) -> str:
    """SUSPECT over rows of cells without quotes, made one text (a chunk of a
    file, a column joined by line breaks): a cell's edges are next to the
    text's ends, a separator or a line end (never inside a cell)."""
    ends = {"\t": r"\t", "\n": r"\n", "\r": r"\r"}
    space, invisible = SPACE, INVISIBLE.replace(r"\x00-\x1f", r"\x00-\x08\x0b\x0c\x0e-\x1f\t")
    for c in ("\n", "\r") + (("\t",) if sep == "\t" else ()):
        space, invisible = space.replace(ends[c], ""), invisible.replace(ends[c], "")
    s = ends.get(sep, "\\" + sep)
    return rf"[{invisible}]|(?:^|[{s}\n])['{space}]|[{space}](?:$|[{s}\r\n])"
