"""Publishing a draft, one module per step: submissions (lint, freeze, create), sending, reconciling, recording.

The order is design.md §4. A draft has at most one submission in flight (queued, sending or
unknown) — the database enforces it with a partial unique constraint, and the draft row is locked
while a submission is created — so a double click, two users or a retry get the same submission.
Publishing content that already became a process (same payload hash) returns that submission too.

A create whose outcome is unknown (timeout or dropped connection after sending, a gateway error)
is never sent again automatically: the process is looked for with backoff over a window and
claimed only on a unique, strict match (name, structure, every echoed field, created after the
send by this connection's user, not claimed by another submission); otherwise a person decides
to send again or names the process (``sending.py``). Every change of an unknown submission
happens under its row lock, so at most one create is in flight per submission.
"""
