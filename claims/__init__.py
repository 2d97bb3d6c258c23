"""Claims: one-page intake, the lifecycle, attachments, public status and catastrophe events."""
