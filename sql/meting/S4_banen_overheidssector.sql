-- step: meting.banen_overheidssector
-- rule: §4 — Government by overheidssector (formal jobs)
-- reads: werk.telbare_uren, meting.verdeelsleutel, werk.meetjaren
--
-- Formal government jobs per overheidssector (Rijk, Gemeenten, …). Inleen cannot be attributed
-- below the sector (METHOD §4). banen as R8 (macro uren_per_baan_in_venster).
DELETE FROM meting.banen_overheidssector WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.banen_overheidssector
SELECT
    t.jaar,
    coalesce(t.overheidssector, 'onbekend') AS overheidssector,
    CAST(sum(t.uren_venster) AS DOUBLE) AS uren,
    CAST(sum(t.uren_venster) AS DOUBLE)
        / any_value(uren_per_baan_in_venster(m.uren_per_baan_per_week, m.venster_begin, m.venster_einde)) AS banen,
    any_value(s.voorlopig) AS voorlopig
FROM werk.telbare_uren AS t
JOIN werk.meetjaren AS m USING (jaar)
JOIN meting.verdeelsleutel AS s USING (jaar)
WHERE t.vorm = 'formeel' AND t.sector = 'overheid'
GROUP BY t.jaar, coalesce(t.overheidssector, 'onbekend')
ORDER BY 1, 2;
