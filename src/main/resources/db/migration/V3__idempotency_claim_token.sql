-- Each claim of an Idempotency-Key gets a token: only the request holding the current claim may
-- record its outcome or release it, so a late request cannot overwrite or delete a newer claim.
ALTER TABLE idempotency_keys ADD COLUMN claim_token uuid;
