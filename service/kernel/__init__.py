"""Pure shared vocabulary: money, periods, calendar, identifiers, words. No framework imports."""
