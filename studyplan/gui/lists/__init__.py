"""The 三张清单 view: 学习责任清单, 学习任务清单, 成果转化清单 and their check."""
