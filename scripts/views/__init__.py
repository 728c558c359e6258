"""What the command line prints: terminal tables, JSON, CSV, Markdown and GitHub's workflow
commands, every value from a file escaped for where it goes."""
