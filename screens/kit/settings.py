"""Where a setting the rep changed is kept: a figure setting (limits, mode,
zones, criteria) in the workspace, for every rep, through the one queue of
writes; a personal one (theme, period view, last folder) in the rep's
config.toml. A figure setting the workspace refuses (a rep on PostgreSQL, a
read-only file) is put back on screen as it is in force, and said."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit import config as config_mod
from cockpit.i18n import t
from cockpit.store import shared_settings
from screens.kit.committer import Job, failure_words

if TYPE_CHECKING:
    from screens.app import CockpitApp


def save_settings(app: CockpitApp, section: str, values: dict) -> None:
    shared = {k: v for k, v in values.items() if shared_settings.is_shared(section, k)}
    personal = {k: v for k, v in values.items() if k not in shared}
    before = {k: getattr(getattr(app.cfg, section), k) for k in shared}
    app.cfg = app.cfg.updated(section, values)
    if shared:
        def refused(exc: BaseException) -> None:
            app.cfg = app.cfg.updated(section, before)
            app.data_changed("external")  # the screens recompute with the settings in force
            app.tell(t("kit.save.job_failed", why=failure_words(exc)), "error")

        app.committer.submit(Job(lambda ws: shared_settings.save(ws, section, shared),
                                 lambda _: app.tell(t("kit.settings.shared")), failed=refused))
    if personal:
        _save_personal(app, section, personal)


def _save_personal(app: CockpitApp, section: str, values: dict) -> None:
    def work() -> None:
        try:
            config_mod.save_values(app.cfg_path, section, values)
        except (OSError, config_mod.ConfigError) as exc:
            app.call_from_thread(app.say, t("limits.save_failed", reason=str(exc)), "error")
            return
        app.call_from_thread(app.say, t("config.saved", path=str(app.cfg_path)))

    app.run_worker(work, thread=True, group="config", exit_on_error=False)
