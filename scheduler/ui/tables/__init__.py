"""Tables of records: a model over plain rows and the view around it."""
