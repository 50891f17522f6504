"""The office's commands: score sheets out and back in, a new year, publishing."""
