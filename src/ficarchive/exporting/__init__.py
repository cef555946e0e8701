"""Works out of the archive: EPUB, HTML and TXT downloads, the OPDS catalog and Atom feeds."""
