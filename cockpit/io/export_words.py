"""The words of an XLSX export, in the interface's language: its headers, and
what a rep opens in Excel reads "Fond de commerce", "Relance", "Prospect", not the codes
``fond_de_commerce``, ``reminder``, ``prospect`` the tables carry.

A CSV export keeps the codes (scripts read it, and the clients' and
prospects' files go back in through the import); the XLSX writer passes
each row through ``translator(headers)``. A code with no word (a class, a
period, a product) stays as it is."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cockpit import i18n

Row = Sequence[object]

# key -> (French, English)
HEADERS: dict[str, tuple[str, str]] = {
    "rank": ("Rang", "Rank"), "code": ("Code", "Code"), "name": ("Nom", "Name"), "group": ("Groupe", "Group"),
    "sector": ("Secteur", "Sector"), "amount": ("Montant", "Amount"), "cum_share": ("Part cumulée", "Cumulative share"),
    "class": ("Classe", "Class"), "potential": ("Potentiel", "Potential"),
    "share_of_wallet": ("Part de portefeuille", "Share of wallet"), "potential_class": ("Classe de potentiel", "Potential class"),
    "zone": ("Zone", "Zone"), "period": ("Période", "Period"), "clients": ("Clients", "Clients"),
    "new": ("Nouveaux", "New"), "new_revenue": ("CA des nouveaux", "New revenue"), "lost": ("Perdus", "Lost"),
    "lost_revenue": ("CA des perdus", "Lost revenue"), "churn": ("Attrition", "Churn"),
    "revenue_churn": ("Attrition du CA", "Revenue churn"), "current_class": ("Classe actuelle", "Current class"),
    "revenue": ("CA", "Revenue"), "segment": ("Segment", "Segment"), "product": ("Produit", "Product"),
    "expected": ("Attendu", "Expected"), "shortfall": ("Manque", "Shortfall"), "fond_de_commerce": ("Fond de commerce", "Core accounts"),
    "client_share": ("Part des clients", "Share of clients"), "id": ("Identifiant", "Id"), "flag": ("Remarque", "Flag"),
    # Margin mode's words for the same columns: no label says revenue then (METHOD §1).
    "margin": ("Marge", "Margin"), "new_margin": ("Marge des nouveaux", "New margin"),
    "lost_margin": ("Marge des perdus", "Lost margin"), "margin_churn": ("Attrition de la marge", "Margin churn"),
    # Today, the allocation and the card (cockpit.action.tables)
    "reason": ("Motif", "Reason"), "kind": ("Type", "Kind"), "owner": ("Commercial", "Rep"), "date": ("Date", "Date"),
    "days": ("Jours", "Days"), "overdue": ("En retard", "Overdue"), "last_contact": ("Dernier contact", "Last contact"),
    "next_action": ("Prochaine action", "Next action"), "next_action_date": ("Date de la prochaine action", "Next action date"),
    "rhythm_days": ("Rythme (jours)", "Rhythm (days)"), "rhythm_status": ("Rythme de contact", "Contact rhythm"),
    "axis": ("Axe", "Axis"), "class_or_zone": ("Classe ou zone", "Class or zone"), "contacts": ("Contacts", "Contacts"),
    "contact_share": ("Part des contacts", "Share of contacts"), "amount_share": ("Part du montant", "Share of amount"),
    "potential_share": ("Part du potentiel", "Share of potential"), "finding": ("Constat", "Finding"),
    "section": ("Rubrique", "Section"), "item": ("Élément", "Item"), "value": ("Valeur", "Value"), "detail": ("Détail", "Detail"),
    "city": ("Ville", "City"), "contact": ("Contact", "Contact"), "notes": ("Notes", "Notes"),
}


def header(key: str) -> str:
    names = HEADERS.get(key)
    return key if names is None else names[1 if i18n.current() == "en" else 0]

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
