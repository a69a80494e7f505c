"""Provider implementations, each imported only when its `provider/` prefix is used."""
