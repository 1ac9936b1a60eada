"""A new release of the PDQ summary, compared with the one content/ was written from.

`release` reads a release (the plain text the project works from, or the cancer.gov page saved
as HTML) into sections of sentences; `figures` finds the numbers a sentence states; `places`
indexes what content/ holds and cites, by file, line and key; `diff` compares two releases and
says which places to revisit, and drafts the content/updates.yml entry for a person to edit.
"""
