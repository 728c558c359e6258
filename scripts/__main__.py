"""`python -m complaints_register`: the `complaints` command."""

from complaints_register.cli.main import main

main()
