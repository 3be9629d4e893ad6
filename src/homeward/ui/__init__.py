"""What every page shares: the navigation, translated labels of stored codes, dates typed in the user's
locale, countries from ISO 3166, the user's time zone, and the error pages.

    from homeward.ui import label, LocaleDateField, CountryField
"""

from homeward.ui.countries import CountryField, country_code, country_name
from homeward.ui.dates import LocaleDateField, date_format_hint
from homeward.ui.labels import LABELS, label

__all__ = ["LABELS", "CountryField", "LocaleDateField", "country_code", "country_name", "date_format_hint", "label"]
