"""Pages -> letters: envelopes, weights, Deutsche Post products and prices (dated data)."""
