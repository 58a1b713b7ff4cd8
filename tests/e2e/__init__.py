"""Helpers of the end-to-end tests: a real sshd, tmux, textual-serve and Chromium."""
