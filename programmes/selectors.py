"""Scoped reads of the programmes context: none yet.

The Programme Needs Identifier calculator reads and writes no record, so there is nothing
to scope. This module exists because every app with an API has one home for its reads
(``core/tests/test_reads_go_through_selectors.py``); the referral's reads arrive here.
"""
