"""Words for people: the policy's targets as sentences, letters to complainants, numbers in
each language's own digits. Phrase tables and letter templates live beside the code."""
