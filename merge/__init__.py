"""petition-merge: signer spreadsheets in, print-ready petition lists of five out."""

__version__ = "0.1.0"
