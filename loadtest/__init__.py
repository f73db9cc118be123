"""`make loadtest`: the demo under gunicorn with production settings on PostgreSQL, driven by
Locust with a realistic mix of managers, board members, a planner and an administrator.

    __main__.py     sets up a fresh database, starts gunicorn, runs Locust, checks the writes
    locustfile.py   who does what (the users and their tasks)
"""
