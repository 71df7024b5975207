"""Review: editing sections, lint findings on the draft, approval and the app's stored session."""
