"""帮助 → 使用说明: the Chinese manual bundled with the app, with pictures of the views and a
find box."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, QUrlQuery
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

#: How wide the manual shows a screenshot: the text width of the dialog as it opens, so a
#: 1366×768 picture of a view fits without a scroll bar. A page can ask for another width
#: with `?width=N` after the file name.
PICTURE_WIDTH = 820


def manual_folder() -> str:
    """The folder of the bundled manual (index.html and its pictures)."""
    return str(resources.files("studyplan.resources").joinpath("manual"))


class ManualBrowser(QTextBrowser):
    """A text browser that shrinks the manual's pictures smoothly before they are drawn:
    Qt draws an <img width=…> scaled pixel by pixel, which leaves the Chinese in a
    screenshot unreadable."""

    def loadResource(self, kind: int, name: QUrl) -> object:
        if kind == QTextDocument.ResourceType.ImageResource.value:
            image = QImage(str(Path(manual_folder()) / name.path()))
            if not image.isNull():
                asked = QUrlQuery(name).queryItemValue("width")
                width = int(asked) if asked.isdigit() else PICTURE_WIDTH
                if image.width() > width:
                    image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
                return image
        return super().loadResource(kind, name)


class ManualDialog(QDialog):
    """The manual in a text browser; the find box looks for a word, from the cursor on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualDialog")
        self.setWindowTitle(self.tr("使用说明"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(900, 700)
        self.browser = ManualBrowser()
        self.browser.setObjectName("manualBrowser")
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([manual_folder()])
        self.browser.setSource("index.html")

        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("manualFind")
        self.find_edit.setPlaceholderText(self.tr("查找，例如：补学"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_button = QPushButton(self.tr("查找下一个"))
        self.find_button.setAutoDefault(False)
        self.find_button.clicked.connect(self.find_next)
        self.found_label = QLabel()
        self.found_label.setObjectName("manualFound")
        contents = QPushButton(self.tr("目录"))
        contents.setAutoDefault(False)
        contents.clicked.connect(lambda: self.browser.scrollToAnchor("contents"))

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("查找")))
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.find_button)
        bar.addWidget(self.found_label)
        bar.addStretch(0)
        bar.addWidget(contents)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.find_edit.setFocus)
        self.find_edit.setFocus()

    def find_next(self) -> bool:
        """Select the next place the word is found (from the top again at the end)."""
        text = self.find_edit.text().strip()
        if not text:
            self.found_label.clear()
            return False
        found = self.browser.find(text)
        if not found:  # past the last one: go round once
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(text, QTextDocument.FindFlag(0))
        self.found_label.setText("" if found else self.tr("未找到“{text}”").format(text=text))
        return found

    @classmethod
    def open(cls, parent: QWidget | None) -> ManualDialog:  # type: ignore[override]
        """Show the manual beside the window (not modal: it can stay open while working)."""
        dialog = cls(parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
