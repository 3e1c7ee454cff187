"""Everything that knows the Workiva Processes API, and nothing of this app's database.

``schema`` (the API's facts), ``payload`` (a tree ⇄ its JSON), ``tree`` (the protocol a tree is
read through), ``lint``, ``client``; ``sandbox`` is a local stand-in of the API, an app of its own.
It imports nothing from ``designer`` or ``publishing`` (the import contract in ``pyproject.toml``).
"""
