-- step: meting.banen_overheidssector
-- rule: §4 — Government by overheidssector (formal jobs)
-- reads: werk.telbare_uren, meting.verdeelsleutel, ref.doelstelling_overheidssector, werk.meetjaren
--
-- Formal government jobs per overheidssector (Rijk, Gemeenten, …). Inleen cannot be attributed
-- below the sector (METHOD §4). banen as R8 (macro uren_per_baan_in_venster).
-- R14: where BZK published a target for an overheidssector and year (ref.doelstelling_overheidssector,
-- a level of banen, with source), realisatie_pct = 100 × banen / doelstelling; empty elsewhere.
DELETE FROM meting.banen_overheidssector WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.banen_overheidssector BY NAME
WITH banen AS (
    SELECT
        t.jaar,
        coalesce(t.overheidssector, 'onbekend') AS overheidssector,
        CAST(sum(t.uren_venster) AS DOUBLE) AS uren,
        CAST(sum(t.uren_venster) AS DOUBLE)
            / any_value(uren_per_baan_in_venster(m.uren_per_baan_per_week, m.venster_begin, m.venster_einde)) AS banen,
        any_value(s.voorlopig) AS voorlopig,
        any_value(m.regeling) AS regeling
    FROM werk.telbare_uren AS t
    JOIN werk.meetjaren AS m USING (jaar)
    JOIN meting.verdeelsleutel AS s USING (jaar)
    WHERE t.vorm = 'formeel' AND t.sector = 'overheid'
    GROUP BY t.jaar, coalesce(t.overheidssector, 'onbekend')
)
SELECT b.jaar, b.overheidssector, b.uren, b.banen, b.voorlopig, d.doelstelling,
       100.0 * b.banen / nullif(d.doelstelling, 0) AS realisatie_pct, b.regeling
FROM banen AS b
LEFT JOIN ref.doelstelling_overheidssector AS d USING (jaar, overheidssector)
ORDER BY 1, 2;
