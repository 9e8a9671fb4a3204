"""请假与补学: leave requests and make-up tasks, and their dialogs."""
