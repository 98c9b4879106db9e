"""Batch -> documents: petition lists (streamed .docx), the template check, labels, envelopes,
the post-office page, and PDF through LibreOffice."""
