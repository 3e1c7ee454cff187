"""Process Designer: the Django project package and the designer app (the middle layer).

Layers run one way: ``publishing`` → ``designer`` → ``processes_api`` (``make check`` runs
``lint-imports``). The designer keeps drafts, their trees, sharing, review, revisions, activity and
the editor; writes live in ``services/``, reads in ``selectors/``, pages in ``views/``.
"""
