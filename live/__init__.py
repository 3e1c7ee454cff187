"""Live co-editing: the editor's websocket (changes as they happen, presence) and its catch-up patches."""
