"""The public site: what the pages are made of (timeline, channels, diagram, statistics
tables and charts, calculator data), each language's pages rendered as plain Markdown, and
one project per language laid out by a site engine (`website.projects`)."""
