"""Pages and buttons for readers' answers; one module per feature."""
