"""Office consumables (办公耗材), paper use (用纸登记) and the running costs the seed asks to publish."""
