"""Backups of the whole archive (`ficarchive backup PATH`) and restoring one (`ficarchive
restore PATH`): the database, the uploads and the secret key in one tar file, with a manifest."""
