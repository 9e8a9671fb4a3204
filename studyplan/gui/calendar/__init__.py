"""日历: the month calendar and the year's topics, and the dialogs that plan sessions."""
