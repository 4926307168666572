-- Helper macros used by the ingest SQL. Created at the start of every run.

-- Elfproef of a BSN already known to be 9 digits:
-- 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9 must be divisible by 11.
-- (ascii(c) - 48 turns a digit character into its value without a failing cast.)
CREATE OR REPLACE MACRO elfproef_ok(b) AS (
    (9 * (ascii(substr(b, 1, 1)) - 48) + 8 * (ascii(substr(b, 2, 1)) - 48)
   + 7 * (ascii(substr(b, 3, 1)) - 48) + 6 * (ascii(substr(b, 4, 1)) - 48)
   + 5 * (ascii(substr(b, 5, 1)) - 48) + 4 * (ascii(substr(b, 6, 1)) - 48)
   + 3 * (ascii(substr(b, 7, 1)) - 48) + 2 * (ascii(substr(b, 8, 1)) - 48)
   - (ascii(substr(b, 9, 1)) - 48)) % 11 = 0
);

-- Keyed pseudonym of a BSN: HMAC-SHA256(key, bsn) as lowercase hex. The caller passes the
-- key already XOR-ed with the inner and outer pads (RFC 2104), so the key never appears in SQL.
CREATE OR REPLACE MACRO pseudoniem(b, ipad, opad) AS
    sha256(opad || unhex(sha256(ipad || encode(coalesce(b, '')))));
