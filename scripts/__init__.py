"""What is done with the register: loading, calendar, lifecycle, checking, the CLI."""
