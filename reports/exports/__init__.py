"""Full listings for auditors (claims, payouts, rebate entries, village spending) as streamed CSV and XLSX."""
