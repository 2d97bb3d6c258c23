"""What every package uses to make a document: the one template environment, PDFs, yuan and time."""
