"""The `complaints` command: parse arguments, call the layers below, print."""
