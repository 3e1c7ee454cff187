"""Checklists: import a close checklist from a spreadsheet, export a draft as one, and its process book."""
