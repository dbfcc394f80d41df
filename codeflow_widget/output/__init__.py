"""What a lesson leaves behind: the project folder (written atomically) and the trace log."""
