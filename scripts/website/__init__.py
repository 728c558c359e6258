"""The public site: MkDocs hooks (`website.hooks`, named in mkdocs.yml) and what the pages
are made of (timeline, channels, diagram, statistics tables and charts, calculator data)."""
