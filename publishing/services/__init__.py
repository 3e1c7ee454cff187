"""Publishing a draft, one module per step: submissions (lint, freeze, create), sending, reconciling, recording.

The order is design.md §4. A draft has at most one submission in flight (queued, sending or
unknown) — the database enforces it with a partial unique constraint, and the draft row is locked
while a submission is created — so a double click, two users or a retry get the same submission.
Publishing content that already became a process (same payload hash) returns that submission too.

A create whose outcome is unknown (timeout or dropped connection after sending, a gateway error)
is never blindly repeated: the service lists processes with the draft's name, fetches each
candidate not already claimed by another submission, and compares its structure (names, job types,
arity of the tree — the server does not echo task arguments) with the payload. Only when none
matches may it send again.
"""
