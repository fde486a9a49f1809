"""Alerts to the people who act on a case: who gets them, what they say, how they travel."""
