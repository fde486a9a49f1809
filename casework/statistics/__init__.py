"""Year statistics derived from case history, and their renderings (DESIGN §3.6–3.7)."""
