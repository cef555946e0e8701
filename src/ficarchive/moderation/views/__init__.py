"""Moderation pages, one module per concern."""
