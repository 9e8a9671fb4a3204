"""帮助: the manual bundled with the app, and 关于."""
