-- step: meting.deelname
-- rule: R16 — Participation of employers
-- reads: werk.werkgever_totalen, werk.telbare_uren, ref.parameters, werk.meetjaren
--
-- Among the employers with at least one person with hours in the window of Y (R15
-- personen_venster > 0), the ones taking part: counted formal hours in the window of Y (R1–R6,
-- werk.telbare_uren vorm 'formeel', sum > 0). Per sector (R6) and size class: A(Y) below the
-- quotum threshold ('onder_drempel') or at least it ('vanaf_drempel'; quotum_drempel_uren,
-- 40,575 hours); with 'totaal' rows over the size classes, and over sectors and size classes.
DELETE FROM meting.deelname WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.deelname
WITH drempel AS (
    SELECT CAST(waarde AS DECIMAL(38, 6)) AS uren FROM ref.parameters WHERE naam = 'quotum_drempel_uren'
),
formeel AS (
    SELECT jaar, loonheffingennummer
    FROM werk.telbare_uren
    WHERE vorm = 'formeel' AND jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY ALL HAVING sum(uren_venster) > 0
),
werkgever AS (
    SELECT t.jaar, coalesce(t.sector, 'onbekend') AS sector,
           CASE WHEN t.uren_totaal < d.uren THEN 'onder_drempel' ELSE 'vanaf_drempel' END AS grootteklasse,
           f.loonheffingennummer IS NOT NULL AS deelnemend
    FROM werk.werkgever_totalen AS t
    CROSS JOIN drempel AS d
    LEFT JOIN formeel AS f USING (jaar, loonheffingennummer)
    WHERE t.personen_venster > 0 AND t.jaar IN (SELECT jaar FROM werk.meetjaren)
)
SELECT jaar, coalesce(sector, 'totaal') AS sector, coalesce(grootteklasse, 'totaal') AS grootteklasse,
       count(*) AS werkgevers, count(*) FILTER (WHERE deelnemend) AS deelnemend,
       count(*) FILTER (WHERE deelnemend) / count(*) AS aandeel
FROM werkgever
GROUP BY GROUPING SETS ((jaar, sector, grootteklasse), (jaar, sector), (jaar, grootteklasse), (jaar))
ORDER BY ALL;
