"""English dates as the product writes them everywhere: day, month in words, year ("3 December
2026", "3 Dec 2026"), never an ambiguous 07/01/2026. Templates use the names
(`{{ day|date:"DATE_FORMAT" }}`, `SHORT_DATE_FORMAT`, ...), Python
`django.utils.formats.date_format`;
machine-readable dates (`<time datetime>`, CSV, API) stay ISO 8601."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
