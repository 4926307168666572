-- The calendar years in which each employer has a register version (docs/EXTRACTS.md §1–§2: a polis
-- row's employer must have a version valid in the period's year), as non-overlapping year ranges
-- per loonheffingennummer, so the polis pass checks each row with one equality probe and a range
-- test instead of a join over every version.
--
-- Input: staging.werkgevers (the accepted employer versions). Output: the temporary table
-- werkgever_jaren (loonheffingennummer, jaar_van, jaar_tot) of the polis ingestion's connection.
-- A version valid from D1 to D2 (NULL = open, i.e. 9999-12-31) covers the years year(D1) …
-- year(D2): it overlaps 1 January … 31 December of exactly those years. Ranges that overlap or
-- touch are merged (gaps and islands), so a year matches at most one range of its employer.
CREATE OR REPLACE TEMP TABLE werkgever_jaren AS
WITH versie AS (
    SELECT DISTINCT
        loonheffingennummer,
        year(geldig_vanaf) AS jaar_van,
        year(coalesce(geldig_tot, DATE '9999-12-31')) AS jaar_tot
    FROM staging.werkgevers
),
met_eerder AS (
    SELECT
        *,
        max(jaar_tot) OVER (PARTITION BY loonheffingennummer ORDER BY jaar_van, jaar_tot
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS eerder_tot
    FROM versie
),
eiland AS (
    SELECT
        *,
        sum(CASE WHEN eerder_tot IS NULL OR jaar_van > eerder_tot + 1 THEN 1 ELSE 0 END)
            OVER (PARTITION BY loonheffingennummer ORDER BY jaar_van, jaar_tot) AS eiland
    FROM met_eerder
)
SELECT loonheffingennummer, min(jaar_van) AS jaar_van, max(jaar_tot) AS jaar_tot
FROM eiland
GROUP BY loonheffingennummer, eiland;
