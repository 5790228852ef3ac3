"""The peerzoo leaderboard: validate, score and publish submissions.

A repo-level folder run from a clone (``python leaderboard/score.py build``); it
talks to the benchmarks and solutions only through submission files, and reads
the budgets it holds them to from ``benchmarks/presets.py``. ``leaderboard.plots``
draws the figures of both.
"""
