-- meting.tabel1 — Table 1 of the Kamerbrief, per measured year, as it is printed:
-- extra banen against the nulmeting by vorm (rows) and sector (columns), the target, the levels
-- (banen in Y and in the nulmeting) and the change against year Y−1 (the line says which year;
-- when Y−1 is not in this file the line is empty and `toelichting` says why — never a silent
-- comparison with another year).
-- Each cell is rounded on its own, half away from zero (METHOD R8), from the unrounded cells of
-- meting.banen; a total is the rounded sum of unrounded cells, so it can differ by 1 from the
-- sum of its rounded parts, exactly as in the published tables. The target's total is the total
-- row of meting.realisatie: under a regime with one national target (R14) the sectors have none.
-- `regeling` names the regime the year was measured under (R14).
-- meting.verandering — the change of every cell (jaar, sector, vorm) against year Y−1, never
-- against another year: the rule behind Table 1's change line and the report's level table, stated
-- once. `banen_vorig_jaar` and `verandering` are NULL when Y−1 is not in this file. Unrounded.
CREATE OR REPLACE VIEW meting.verandering AS
SELECT
    b.jaar, b.sector, b.vorm,
    b.jaar - 1 AS vorig_jaar,
    b.banen,
    p.banen AS banen_vorig_jaar,
    b.banen - p.banen AS verandering,
    b.voorlopig,
    b.regeling
FROM meting.banen AS b
LEFT JOIN meting.banen AS p ON p.jaar = b.jaar - 1 AND p.sector = b.sector AND p.vorm = b.vorm
ORDER BY b.jaar, b.sector, b.vorm;

CREATE OR REPLACE VIEW meting.tabel1 AS
WITH cellen AS (
    SELECT jaar, vorm, sector, banen, banen_nulmeting, extra_banen, voorlopig FROM meting.banen
),
regels AS (
    SELECT jaar, 1 AS volgorde, 'formele dienstverbanden' AS regel, sector, extra_banen AS waarde
    FROM cellen WHERE vorm = 'formeel'
    UNION ALL
    SELECT jaar, 2, 'inleenverbanden (uitzend + Wsw-detachering)', sector, extra_banen
    FROM cellen WHERE vorm = 'inleen'
    UNION ALL
    SELECT jaar, 3, 'totaal extra banen', sector, extra_banen FROM cellen
    UNION ALL
    SELECT jaar, 4, 'doelstelling', sector, doelstelling
    FROM meting.realisatie WHERE sector IN ('markt', 'overheid', 'totaal')
    UNION ALL
    SELECT jaar, 5, 'banen in meetjaar', sector, banen FROM cellen
    UNION ALL
    SELECT jaar, 6, 'banen in de nulmeting', sector, banen_nulmeting FROM cellen
    UNION ALL
    SELECT jaar, 7, 'verandering t.o.v. meting ' || vorig_jaar, sector, verandering FROM meting.verandering
)
SELECT
    r.jaar,
    r.volgorde,
    r.regel,
    CAST(round(sum(r.waarde) FILTER (WHERE r.sector = 'markt')) AS BIGINT) AS markt,
    CAST(round(sum(r.waarde) FILTER (WHERE r.sector = 'overheid')) AS BIGINT) AS overheid,
    CAST(round(CASE WHEN bool_or(r.sector = 'totaal') THEN sum(r.waarde) FILTER (WHERE r.sector = 'totaal')
                    ELSE sum(r.waarde) END) AS BIGINT) AS totaal,
    (SELECT bool_or(voorlopig) FROM meting.banen AS b WHERE b.jaar = r.jaar) AS voorlopig,
    CASE WHEN r.volgorde = 7 AND NOT EXISTS (SELECT 1 FROM meting.banen AS b WHERE b.jaar = r.jaar - 1)
         THEN 'geen meting van ' || (r.jaar - 1) || ' in dit bestand' END AS toelichting,
    (SELECT any_value(regeling) FROM meting.banen AS b WHERE b.jaar = r.jaar) AS regeling
FROM regels AS r
GROUP BY r.jaar, r.volgorde, r.regel
ORDER BY r.jaar, r.volgorde;
