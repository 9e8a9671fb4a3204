"""The cold-start baseline: the least a PySide6 program does to show a calendar window.

`python bench/bare_window.py OUT.png [WIDTHxHEIGHT]` creates the QApplication, a main window
holding a QCalendarWidget, shows it, lets Qt process its events and saves a grab as PNG,
the same steps `studyplan --screenshot` ends with, and says so in the same words. It imports
nothing but PySide6.
"""

import sys

from PySide6.QtWidgets import QApplication, QCalendarWidget, QMainWindow


def main() -> int:
    out = sys.argv[1]
    width, height = (int(n) for n in (sys.argv[2] if len(sys.argv) > 2 else "1280x800").split("x"))
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QCalendarWidget())
    window.resize(width, height)
    window.show()
    app.processEvents()
    ok = window.grab().save(out)
    if ok:
        print(f"已保存截图：{out}")  # as `studyplan --screenshot` says it
    window.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
