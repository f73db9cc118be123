"""`make bench`: performance figures on PostgreSQL. Timings live here, never in pass/fail tests."""
