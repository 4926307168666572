-- step: werk.uren_per_cel
-- rule: R7 — Inleen hours split over the sectors with the year's verdeelsleutel
-- reads: werk.toegerekende_uren, meting.verdeelsleutel, werk.meetjaren
--
-- The hours of every sector × vorm cell: formal hours at the employer's sector (R6), all inleen
-- hours of the window (uitzend and Wsw-detachering together) × the year's share of the sector.
-- The split itself is stated once, in the view werk.toegerekende_uren (sql/schema/regels.sql):
-- here the exact DECIMAL sum of a cell is taken first and multiplied by the share after.
-- Every sector × vorm cell is present, also when 0.
DELETE FROM werk.uren_per_cel WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.uren_per_cel
WITH cellen AS (
    SELECT m.jaar, c.sector, c.vorm
    FROM werk.meetjaren AS m
    CROSS JOIN (VALUES ('markt', 'formeel'), ('overheid', 'formeel'), ('markt', 'inleen'), ('overheid', 'inleen'))
        AS c(sector, vorm)
),
uren AS (
    SELECT jaar, sector, vorm, CAST(sum(uren_venster) * any_value(aandeel) AS DOUBLE) AS uren,
           bool_or(voorlopig) AS voorlopig
    FROM werk.toegerekende_uren
    WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY jaar, sector, vorm
)
SELECT c.jaar, c.sector, c.vorm, coalesce(u.uren, 0) AS uren,
       (SELECT s.voorlopig FROM meting.verdeelsleutel AS s WHERE s.jaar = c.jaar) AS voorlopig
FROM cellen AS c LEFT JOIN uren AS u USING (jaar, sector, vorm)
ORDER BY c.jaar, c.sector, c.vorm;
