"""The peerzoo leaderboard: validate, score and publish submissions (DESIGN.md section 6).

A repo-level folder run from a clone (``python leaderboard/score.py build``); it
talks to the benchmarks and solutions only through submission files.
"""
