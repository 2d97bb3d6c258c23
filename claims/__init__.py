"""Claims: the one page and its PDFs, intake, the lifecycle, attachments, public status, catastrophes."""
