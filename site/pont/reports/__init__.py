"""Reports: a pupil, a witness, a parent or a staff member tells a school what is happening.

Only the school's referents (their pages: `pont.staff`) and the reporter, with the follow-up code
and secret, may ever read a report. Every free text and every file is encrypted at rest.
"""
