"""Trainer and developer tools that read and write files (CLI, class report, accuracy).

Never shipped to the browser.
"""
