"""成员: the roster and its dialogs."""
