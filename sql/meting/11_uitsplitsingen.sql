-- METHOD §4 — Breakdowns of year $jaar that analysts use besides Table 1.
-- 1. Government by overheidssector (Rijk, Gemeenten, …): formal jobs only — inleen cannot be
--    attributed below the sector (METHOD §4).
-- 2. Per arbeidsmarktregio, by the person's residence region (woonregio of the person's latest
--    counting registration starting on or before the end of the window) and by the employer's
--    region; inleen hours of a region are split with the year's verdeelsleutel like the total (R7).
-- banen = uren / (uren_per_baan_per_week × days in the window / 7), as R8.
-- Parameters: $jaar, $venster_einde, $uren_per_baan_per_week, $venster_begin.
DELETE FROM meting.banen_overheidssector WHERE jaar = $jaar;
INSERT INTO meting.banen_overheidssector
SELECT
    $jaar AS jaar,
    coalesce(overheidssector, 'onbekend') AS overheidssector,
    CAST(sum(uren_venster) AS DOUBLE) AS uren,
    CAST(sum(uren_venster) AS DOUBLE)
        / uren_per_baan_in_venster($uren_per_baan_per_week, $venster_begin, $venster_einde) AS banen,
    (SELECT voorlopig FROM werk.verdeelsleutel WHERE jaar = $jaar) AS voorlopig
FROM werk.telbare_uren
WHERE jaar = $jaar AND vorm = 'formeel' AND sector = 'overheid'
GROUP BY ALL;

DELETE FROM meting.banen_regio WHERE jaar = $jaar;
INSERT INTO meting.banen_regio
WITH woonregio AS (
    SELECT r.persoon_id, r.woonregio
    FROM staging.doelgroepregister AS r
    JOIN ref.grondslag AS g ON g.grondslag = r.grondslag AND g.telt_mee
    WHERE r.datum_ingang <= $venster_einde
    QUALIFY row_number() OVER (PARTITION BY r.persoon_id ORDER BY r.datum_ingang DESC, r.woonregio) = 1
),
uren AS (
    SELECT 'woonregio' AS indeling, coalesce(w.woonregio, 'onbekend') AS arbeidsmarktregio, t.vorm, t.sector,
           sum(t.uren_venster) AS uren
    FROM werk.telbare_uren AS t LEFT JOIN woonregio AS w USING (persoon_id)
    WHERE t.jaar = $jaar GROUP BY ALL
    UNION ALL
    SELECT 'werkgeverregio', coalesce(werkgever_regio, 'onbekend'), vorm, sector, sum(uren_venster)
    FROM werk.telbare_uren WHERE jaar = $jaar GROUP BY ALL
),
sleutel AS (
    SELECT 'markt' AS sector, aandeel_markt AS aandeel, voorlopig FROM werk.verdeelsleutel WHERE jaar = $jaar
    UNION ALL
    SELECT 'overheid', aandeel_overheid, voorlopig FROM werk.verdeelsleutel WHERE jaar = $jaar
),
cellen AS (
    SELECT u.indeling, u.arbeidsmarktregio, u.sector, u.vorm, CAST(u.uren AS DOUBLE) AS uren
    FROM uren AS u WHERE u.vorm = 'formeel'
    UNION ALL
    SELECT u.indeling, u.arbeidsmarktregio, s.sector, u.vorm, CAST(u.uren AS DOUBLE) * s.aandeel
    FROM uren AS u CROSS JOIN sleutel AS s WHERE u.vorm = 'inleen'
)
SELECT
    $jaar AS jaar, indeling, arbeidsmarktregio, sector, vorm, uren,
    uren / uren_per_baan_in_venster($uren_per_baan_per_week, $venster_begin, $venster_einde) AS banen,
    (SELECT voorlopig FROM werk.verdeelsleutel WHERE jaar = $jaar) AS voorlopig
FROM cellen;
