"""English dates as the archive has always written them: day, short month, year."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
