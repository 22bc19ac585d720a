"""Reading and writing files; no planning decisions are taken here."""
