"""Config: documented defaults, validation with file and key, saving keeps comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit import config

ROOT = Path(__file__).resolve().parent.parent


def test_repository_config_documents_exactly_the_defaults():
    cfg, _ = config.load(ROOT / "config.toml")
    assert cfg == config.DEFAULTS


@pytest.mark.parametrize(
    "text, key",
    [
        ("[abc]\na_limit = 1.5\n", "abc.a_limit"),
        ("[abc]\na_limit = 'high'\n", "abc.a_limit"),
        ("[abc]\nlimit_a = 0.8\n", "abc.limit_a"),
        ("[colours]\nx = 1\n", "[colours]"),
        ("[abc]\na_limit = 0.9\nb_limit = 0.8\n", "abc.a_limit"),
        ("[workspace]\nbusy_timeout_ms = 100\n", "workspace.busy_timeout_ms"),
    ],
)
def test_bad_values_are_named(tmp_path, text, key):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(config.ConfigError) as exc:
        config.load(path)
    assert key in str(exc.value) and str(path) in str(exc.value) and ("expected" in str(exc.value) or "attendu" in str(exc.value))


def test_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[abc]\na_limit = 0.8\nb_limit = = 2\n")
    with pytest.raises(config.ConfigError) as exc:
        config.load(path)
    assert exc.value.line == 3


def test_save_keeps_comments_and_other_keys(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# my settings\n[ui]\nlang = \"en\" # English please\n")
    config.save_values(path, "abc", {"a_limit": 0.7, "b_limit": 0.9})
    text = path.read_text()
    assert "# my settings" in text and "# English please" in text
    cfg, _ = config.load(path)
    assert cfg.abc.a_limit == 0.7 and cfg.ui.lang == "en"


def test_default_zones_are_the_methods():
    from cockpit.portfolio.matrices import DEFAULT_ZONES

    assert tuple(tuple(r) for r in config.DEFAULTS.matrix.zones) == DEFAULT_ZONES


def test_an_older_file_with_probability_min_decided_still_loads(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text("[prospects]\nprobability_min_decided = 5\n", encoding="utf-8")
    cfg, _ = config.load(path)
    assert cfg.prospects.min_history == 5 and "probability_min_decided" not in cfg.prospects


def test_typed_sections_mirror_the_schema():
    """One field per key of the schema, each the schema's default."""
    from dataclasses import fields

    for name, kind in config.SECTIONS.items():
        assert [f.name for f in fields(kind)] == [k for k in config.SCHEMA[name] if k != "*"]
        assert config.thaw(config.DEFAULTS.section(name)) == config.default_values()[name]


def test_the_config_is_never_changed_in_place():
    """A changed setting is a new Config, checked like a file; the old one is as it was."""
    import dataclasses

    cfg = config.DEFAULTS
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.abc.a_limit = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        cfg.matrix.zones[0][0] = "developpement"  # type: ignore[index]
    with pytest.raises(TypeError):
        cfg.prospects.probability_fallback["chaud"] = 0.9  # type: ignore[index]
    new = cfg.updated("abc", {"a_limit": 0.7})
    assert new.abc.a_limit == 0.7 and cfg.abc.a_limit == 0.8 and new.matrix == cfg.matrix
    with pytest.raises(config.ConfigError):
        cfg.updated("abc", {"a_limit": 0.99})  # above b_limit


def test_what_a_setting_expects_is_said_in_the_interfaces_language(tmp_path):
    """French by default: no English words after « attendu » (the file's own
    keys and values stay as written in it)."""
    from cockpit import i18n
    from cockpit.config_schema import SCHEMA
    from cockpit.config_words import FR, expected_text

    expected = {spec[3] for section in SCHEMA.values() for spec in section.values()}
    assert not {e for e in expected if not e.startswith("one of ")} - set(FR)  # each has its French
    cases = [(tmp_path / "missing.toml", None, "un fichier TOML existant (introuvable)"),
             (tmp_path, None, "un fichier TOML, pas un dossier"),
             (tmp_path / "limit.toml", "[abc]\na_limit = 1.5\n", "un nombre dans ]0, 1]"),
             (tmp_path / "theme.toml", "[ui]\ntheme = 'pink'\n", "l'une de ces valeurs : textual-dark, "),
             (tmp_path / "section.toml", "[colours]\nx = 1\n", "l'une de ces valeurs : [abc], "),
             (tmp_path / "syntax.toml", "[abc]\nb_limit = = 2\n", "du TOML valide (")]
    for path, text, words in cases:
        if text is not None:
            path.write_text(text)
        for lang, said in (("fr", words), ("en", None)):
            i18n.set_lang(lang)
            with pytest.raises(config.ConfigError) as exc:
                config.load(path, explicit=True)
            if said is not None:
                assert f": attendu {said}" in str(exc.value), str(exc.value)
            else:
                assert ": expected " in str(exc.value) and expected_text(exc.value.expected, "en") == exc.value.expected
    i18n.set_lang("fr")
