"""Spam scoring: rules (`rules`), a classifier that learns from moderators' decisions
(`classifier`), and the check every posted text goes through (`checking`)."""
