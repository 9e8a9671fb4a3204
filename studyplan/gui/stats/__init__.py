"""统计: the statistics view, its charts and its lists."""
