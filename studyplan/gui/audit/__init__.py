"""操作记录: the audit trail, and choosing a backup to restore."""
