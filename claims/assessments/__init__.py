"""The assessment at the door: line items, photos, the resident's acknowledgement, the payable amount."""
