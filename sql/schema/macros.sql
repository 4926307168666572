-- Helper macros used by the ingest SQL. Created at the start of every run.

-- Elfproef of a BSN already known to be 9 digits (NULL for anything that is not a number):
-- 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9 must be divisible by 11.
-- Integer arithmetic on the number (d1 = n // 10^8, …, d9 = n % 10): about 2.5× faster than
-- taking the digits out of the string, which matters at ~120 M payroll rows a year.
CREATE OR REPLACE MACRO elfproef_ok(b) AS (
    (SELECT (9 * (n // 100000000) + 8 * (n // 10000000 % 10) + 7 * (n // 1000000 % 10)
           + 6 * (n // 100000 % 10) + 5 * (n // 10000 % 10) + 4 * (n // 1000 % 10)
           + 3 * (n // 100 % 10) + 2 * (n // 10 % 10) - n % 10) % 11 = 0
     FROM (SELECT TRY_CAST(b AS BIGINT) AS n))
);

-- Keyed pseudonym of a BSN: HMAC-SHA256(key, bsn) as lowercase hex. The caller passes the
-- key already XOR-ed with the inner and outer pads (RFC 2104), so the key never appears in SQL.
CREATE OR REPLACE MACRO pseudoniem(b, ipad, opad) AS
    sha256(opad || unhex(sha256(ipad || encode(coalesce(b, '')))));

-- METHOD R8: the hours of one baan in the measurement window: uren_per_baan_per_week × the weeks
-- of the window (31/7 for December). The one place this divisor is defined.
CREATE OR REPLACE MACRO uren_per_baan_in_venster(uren_per_week, venster_begin, venster_einde) AS
    uren_per_week * (date_diff('day', venster_begin, venster_einde) + 1) / 7.0;

-- A text field as the rules see it, in every ingest file: without leading and trailing spaces
-- (DuckDB's trim: U+0020 and the other Unicode space separators, not tabs), and NULL when nothing
-- is left. Identical to nullif(trim(x), ''), but the common case (a plain ASCII value without outer
-- spaces) skips the trim and its string copy: at ~130 M payroll rows that copy is a large share of
-- the polis pass.
CREATE OR REPLACE MACRO schoon(x) AS (
    CASE WHEN x NOT LIKE ' %' AND x NOT LIKE '% ' AND x <> '' AND strlen(x) = length(x) THEN x
         ELSE nullif(trim(x), '') END
);
