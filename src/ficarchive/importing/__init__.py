"""Importing: read the files people already hold (text, HTML, EPUB, DOCX, Markdown, zip)."""
