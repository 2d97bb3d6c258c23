"""What a person sees: PDFs (WeasyPrint) and the server-rendered claim, login and tracking pages."""
