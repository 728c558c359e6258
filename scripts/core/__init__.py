"""The pure core: functions of models, a calendar and a date. No files, no Git, no
terminal: everything here can be computed again from the same inputs. The one reading of
the clock is `Calendar.today()`, the default as-of date of the commands."""
