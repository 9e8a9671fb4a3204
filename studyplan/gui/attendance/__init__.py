"""考勤: a session's marks, entered from the keyboard."""
