"""The Qt desktop interface: views, dialogs and the composition root (`app.py`)."""
