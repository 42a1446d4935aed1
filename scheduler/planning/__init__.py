"""Pure planning logic: plain data in, plain data out. No Qt, no SQL, no I/O."""
