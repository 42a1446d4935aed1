"""Menus, toolbar and shortcuts of the main window, made from small factories.

Each action is declared once (name, text, shortcut, slot); the window keeps
them by name so it can enable or disable them.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from scheduler.ui.icons import themed_icon

if TYPE_CHECKING:
    from scheduler.ui.main_window import MainWindow

Shortcut = QKeySequence.StandardKey | str | None


def _action(window: MainWindow, name: str, text: str, shortcut: Shortcut, slot: object) -> QAction:
    action = QAction(text, window)
    action.setObjectName(f"action_{name}")
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def _recent_menu(window: MainWindow, menu: QMenu) -> None:
    def fill() -> None:
        menu.clear()
        paths = window.state.recent_plans()
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number % 10} {path.name}   ({path.parent})")
            action.setEnabled(path.exists())
            action.triggered.connect(lambda _=False, p=path: window.open_path(p))
        if not paths:
            menu.addAction("(none yet)").setEnabled(False)

    menu.aboutToShow.connect(fill)


def _offline() -> ModuleType:
    """Taking a plan offline and synchronising it: loaded when first asked for."""
    from scheduler.ui import sync_actions

    return sync_actions


def _exchange() -> ModuleType:
    """Export and import load openpyxl's side of the program: only when asked for."""
    from scheduler.ui import exchange_actions

    return exchange_actions


def build_menus(window: MainWindow) -> dict[str, QAction]:
    key = QKeySequence.StandardKey
    actions = {
        "new": _action(window, "new", "&New plan…", key.New, window.new_plan),
        "open": _action(window, "open", "&Open plan…", key.Open, window.open_dialog),
        "open_server": _action(
            window,
            "open_server",
            "Open a &shared plan (server)…",
            None,
            window.open_server_dialog,
        ),
        "demo": _action(window, "demo", "Open the &demo plan", None, window.open_demo),
        "save_copy": _action(window, "save_copy", "Save a &copy…", key.SaveAs, window.save_copy),
        "backup_now": _action(window, "backup_now", "&Back up now", None, window.backup_now),
        "take_offline": _action(
            window,
            "take_offline",
            "Take a copy o&ffline…",
            None,
            lambda: _offline().take_offline(window),
        ),
        "synchronise": _action(
            window,
            "synchronise",
            "S&ynchronise…",
            None,
            lambda: _offline().synchronise(window),
        ),
        "restore": _action(
            window, "restore", "&Restore from a backup…", None, window.restore_backup
        ),
        "close": _action(window, "close", "&Close plan", key.Close, window.close_plan),
        "print": _action(window, "print", "&Print…", key.Print, window.print_report),
        "export": _action(
            window,
            "export",
            "&Export schedule…",
            "Ctrl+E",
            lambda: _exchange().export_schedule(window),
        ),
        "import": _action(
            window,
            "import",
            "&Import from a spreadsheet…",
            "Ctrl+I",
            lambda: _exchange().import_spreadsheet(window),
        ),
        "reply": _action(
            window,
            "reply",
            "Import a partner's &reply…",
            None,
            lambda: _exchange().import_partner_reply(window),
        ),
        "template": _action(
            window,
            "template",
            "Write the import &template…",
            None,
            lambda: _exchange().write_import_template(window),
        ),
        "template_plan": _action(
            window,
            "template_plan",
            "Write this plan as an import te&mplate…",
            None,
            lambda: _exchange().write_plan_template(window),
        ),
        # Quit ends the program: every window closes (each closes its plan).
        "quit": _action(window, "quit", "&Quit", key.Quit, QApplication.closeAllWindows),
        "find": _action(window, "find", "&Find", key.Find, window.focus_search),
        "settings": _action(
            window, "settings", "&Settings…", key.Preferences, lambda: _settings(window)
        ),
        "refresh": _action(window, "refresh", "&Refresh", key.Refresh, window.refresh_all),
        "about": _action(window, "about", "&About Training Scheduler", None, window.about),
        "guide": _action(window, "guide", "&User guide", key.HelpContents, lambda: _guide(window)),
        "shortcuts": _action(
            window, "shortcuts", "&Keyboard shortcuts", None, lambda: _shortcuts(window)
        ),
    }
    undo = window.undo_group.createUndoAction(window, "&Undo")
    undo.setShortcuts(key.Undo)
    undo.setObjectName("action_undo")
    redo = window.undo_group.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    redo.setObjectName("action_redo")
    actions["undo"], actions["redo"] = undo, redo

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for name in ("new", "open", "open_server"):
        file_menu.addAction(actions[name])
    recent = file_menu.addMenu("Open &recent")
    recent.setObjectName("menu_recent")
    _recent_menu(window, recent)
    file_menu.addAction(actions["demo"])
    file_menu.addSeparator()
    for name in ("print", "export", "import", "reply", "template", "template_plan"):
        file_menu.addAction(actions[name])
    file_menu.addSeparator()
    for name in ("save_copy", "backup_now", "restore"):
        file_menu.addAction(actions[name])
    file_menu.addSeparator()
    for name in ("take_offline", "synchronise"):
        file_menu.addAction(actions[name])
    file_menu.addSeparator()
    file_menu.addAction(actions["close"])
    file_menu.addAction(actions["quit"])

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    edit_menu.addAction(actions["find"])
    edit_menu.addSeparator()
    edit_menu.addAction(actions["settings"])

    view_menu = bar.addMenu("&View")
    from scheduler.ui.pages import PAGES

    for number, info in enumerate(PAGES, start=1):
        action = view_menu.addAction(info.title)
        if number <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _=False, k=info.key: window.show_page(k))
    view_menu.addSeparator()
    view_menu.addAction(actions["refresh"])

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions["guide"])
    help_menu.addAction(actions["shortcuts"])
    help_menu.addSeparator()
    help_menu.addAction(actions["about"])
    help_menu.addAction("About &Qt", QApplication.aboutQt)

    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("toolbar_main")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    apply_icons(actions)
    for name in ("new", "open", "undo", "redo", "backup_now", "settings"):
        toolbar.addAction(actions[name])
    return actions


ICONS = {
    "new": "new",
    "open": "open",
    "undo": "undo",
    "redo": "redo",
    "backup_now": "backup",
    "settings": "settings",
    "export": "export",
    "import": "import",
    "print": "print",
}


def apply_icons(actions: dict[str, QAction]) -> None:
    """(Re)draw the icons in the current palette (called again when it changes)."""
    for name, icon in ICONS.items():
        actions[name].setIcon(themed_icon(icon))


def _settings(window: MainWindow) -> None:
    from scheduler.ui.dialogs.settings_dialog import SettingsDialog

    SettingsDialog(window).exec()


def _guide(window: MainWindow) -> None:
    from scheduler.ui.dialogs.help_dialogs import guide_dialog

    guide_dialog(window).exec()


def _shortcuts(window: MainWindow) -> None:
    from scheduler.ui.dialogs.help_dialogs import shortcuts_dialog

    shortcuts_dialog(window, menu_actions(window)).exec()


def menu_actions(window: MainWindow) -> list[tuple[str, QAction]]:
    """Every action of the menu bar with its menu's name, submenus included."""
    found: list[tuple[str, QAction]] = []

    def walk(where: str, actions: list[QAction]) -> None:
        for action in actions:
            menu = action.menu()
            if isinstance(menu, QMenu):
                walk(where, menu.actions())
            elif not action.isSeparator():
                found.append((where, action))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(top.text().replace("&", ""), menu.actions())
    return found
