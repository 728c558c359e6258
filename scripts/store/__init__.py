"""Files and Git: reading the register (safe YAML, with a line for every value), writing it
atomically, the cache, and everything that asks Git (through `store.repository`)."""
