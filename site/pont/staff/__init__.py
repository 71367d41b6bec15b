"""Staff: a school's referents log in, handle their school's reports and export the dossier.

A referent sees only their own school's cases; every read and change is written to the audit
log, and closed cases are deleted once their retention period is over.
"""
