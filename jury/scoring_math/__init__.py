"""Pure computation of the jury's figures: no Django, no database, importable without settings."""
