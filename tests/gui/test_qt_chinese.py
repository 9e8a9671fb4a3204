"""Qt's own dialogs in Chinese: its zh_CN catalogue (and the words it misses) and a zh_CN
system locale for the dates and sizes in its file dialog, whatever LANG the desktop has."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton
    from studyplan.gui.app import application

    app = application()
    dialog = QFileDialog(None, "导出", sys.argv[1], "Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as offscreen/xcb
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.show()
    app.processEvents()
    for label in dialog.findChildren(QLabel):
        print("label", label.text())
    for button in dialog.findChildren(QPushButton):
        print("button", button.text())
    system = QLocale.system()
    print("locale", system.name())
    print("date", system.toString(QDate(2026, 12, 6), QLocale.FormatType.ShortFormat))
    print("size", system.formattedDataSize(0))
    print("LC_ALL", os.environ.get("LC_ALL"))
    """
)


def test_qt_file_dialog_speaks_chinese_under_an_english_locale(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.splitlines()
    # Without the keyboard accelerators, which Qt's releases mark differently (6.9's own
    # catalogue has 查找范围：, the words supplied for 6.11 查找范围(&L)：).
    words = {re.sub(r"\(&\w\)", "", line) for line in lines}
    assert "label 查找范围：" in words and "label 文件类型：" in words
    assert "label 文件名称：" in words and "button 取消" in lines
    assert "locale zh_CN" in lines and "date 2026/12/6" in lines and "size 0 字节" in lines
    assert "LC_ALL None" in lines  # programs started from the window get the desktop's own
