"""complaints_register: a Git-backed complaints register in the spirit of ISO 10002:2018.

The folders are the layers, each importing only those below it (import-linter checks this;
see DESIGN.md, "Layers"):

    cli       the `complaints` command: parse, call, print
    website   the public site: pages, charts, one project per language for the engine
    views     how results look: terminal tables, JSON, CSV, Markdown, GitHub annotations
    text      words for people: the policy in sentences, letters, numerals
    store     files and Git: reading, writing, the cache, the ledger, history
    core      pure rules: calendar, lifecycle, status, statistics, disclosure, personal data
    schema    the data contract: pydantic models of a complaint, an event, a policy, an action
"""
