"""Benchmarks: scripts that measure the portal and print figures and ratios, apart from the code they measure.

Each runs as ``python -m portal.benchmarks.NAME``; they assert nothing (speed and memory goals are not tests).
"""
