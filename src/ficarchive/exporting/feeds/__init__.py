"""Atom feeds and the OPDS catalog (which is Atom with e-book links), written by Django's
feed generator (`ArchiveFeed`), with the entries both share (`entries`)."""
