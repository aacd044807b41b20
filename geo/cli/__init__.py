"""The ``georange`` command: parses, calls the library, formats (the only code that prints or exits)."""
