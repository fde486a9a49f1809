"""Services: the one door per action. They flush; the caller's unit of work commits."""
