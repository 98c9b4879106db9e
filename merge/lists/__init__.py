"""SourceRow -> Signer -> Page: cleaning, folding, duplicate keys, accounting, fit, pagination."""
