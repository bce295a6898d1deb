"""Database back ends of the project's own (settings' ENGINE names them)."""
