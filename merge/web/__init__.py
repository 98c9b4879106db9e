"""The local web page, ``petition-merge serve``: a whole batch without typing a command.

Server-rendered pages on Starlette, in the CLI's language and words, over the same working
folder (inputs/, templates/, outputs/) and ledger as the CLI, so page and CLI can be used
side by side. Only this package and ``merge.cli.serve`` import the web framework; it is
the ``web`` extra of the package.
"""
