"""The words of an XLSX export, in the interface's language: what a rep opens
in Excel reads "Fond de commerce", "Relance", "Prospect", not the codes
``fond_de_commerce``, ``reminder``, ``prospect`` the tables carry.

A CSV export keeps the codes (scripts read it, and the clients' and
prospects' files go back in through the import); the XLSX writer passes
each row through ``translator(headers)``. A code with no word (a class, a
period, a product) stays as it is."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cockpit import i18n

Row = Sequence[object]

# code -> (French, English), for the codes the catalogues do not name
_KINDS = {"client": ("Client", "Client"), "prospect": ("Prospect", "Prospect")}
_AXES = {"class": ("Classe", "Class"), "zone": ("Zone", "Zone")}
_FINDINGS = {"expensive": ("Service coûteux", "Costly service"), "neglected": ("Suivi insuffisant", "Under-served")}
_SECTIONS = {"client": ("Client", "Client"), "period": ("Période", "Period"), "product": ("Produit", "Product"),
             "question": ("Question", "Question"), "contact": ("Contact", "Contact")}


def _pick(words: tuple[str, str]) -> str:
    return words[1 if i18n.current() == "en" else 0]


def _said(table: dict[str, tuple[str, str]], value: object) -> object:
    words = table.get(value) if isinstance(value, str) else None
    return value if words is None else _pick(words)


def _catalogue(prefix: str, value: object) -> object:
    """The catalogue's word for ``prefix + value``, else the value as it is."""
    if not isinstance(value, str) or not value:
        return value
    return i18n.catalogue(i18n.current()).get(prefix + value, value)


def zone(value: object) -> object:
    if value == "potentiel_a_renseigner":  # the crossed matrix's clients without a potential
        return i18n.t("action.report.no_zone")
    return _catalogue("zone.", value)


def _column(key: str) -> Callable[[object], object] | None:
    return {"zone": zone, "reason": lambda v: _catalogue("today.reason.", v), "kind": lambda v: _said(_KINDS, v),
            "axis": lambda v: _said(_AXES, v), "finding": lambda v: _said(_FINDINGS, v)}.get(key)


def _card_row(row: Row) -> Row:
    """(section, item, value, detail): the section and item in words, a coded value too."""
    from cockpit.io.xlsx_write import header

    section, key, value, *rest = row
    if section == "client" and isinstance(key, str):
        if key == "zone":
            value = zone(value)
        elif key == "rhythm_status":
            value = _catalogue("card.status.", value)
        key = header(key)
    elif section == "question":
        key = _catalogue("action.q.", key)
    return [_said(_SECTIONS, section), key, value, *rest]


def translator(headers: Sequence[str]) -> Callable[[Row], Row] | None:
    """The row-to-words function of a table with these headers; None when it carries no code."""
    if list(headers[:3]) == ["section", "item", "value"]:
        return _card_row
    columns = [(c, f) for c, h in enumerate(headers) if (f := _column(h)) is not None]
    axis = headers.index("axis") if "axis" in headers else None
    key = headers.index("class_or_zone") if "class_or_zone" in headers else None
    if not columns and axis is None:
        return None

    def words(row: Row) -> Row:
        out = list(row)
        for c, f in columns:
            if c < len(out):
                out[c] = f(out[c])
        if axis is not None and key is not None and row[axis] == "zone":  # the allocation's zone lines
            out[key] = zone(row[key]) if row[key] else i18n.t("action.report.no_zone")
        return out

    return words
