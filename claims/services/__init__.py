"""Claims services by topic: views (who sees which claim, listing), lifecycle, building (a new claim's
row and number), intake (the one page's checks), filing (the batch writer), documents, catastrophes, pdfs."""
