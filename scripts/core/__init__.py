"""The pure core: functions of models, a calendar and a date. No files, no Git, no clock,
no terminal: everything here can be computed again from the same inputs."""
