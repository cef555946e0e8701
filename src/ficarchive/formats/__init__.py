"""Date formats per interface language, where ours differ from Django's (FORMAT_MODULE_PATH).

Templates write dates with the named formats (`|date:"DATE_FORMAT"`, `"DATETIME_FORMAT"`), so a
reader sees them as their language writes them: "6 Dec 2026", "6 de diciembre de 2026",
"2026年12月6日". Spanish and Chinese keep Django's own formats; English keeps the archive's
day-month-year, as AO3 writes it. Machine dates (`Y-m-d`, `c`) stay ISO 8601 in every language.
"""
