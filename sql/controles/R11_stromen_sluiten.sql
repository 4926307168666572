-- Blocking check stromen_sluiten (METHOD R11), run by the meting step after sql/meting: one row per
-- deviation, none when the flows reconcile. Per (jaar, basisjaar, cel) of the run:
-- 1. exact, in hours: the contributions of all persons (werk.stromen_personen.bijdrage_uren,
--    DECIMAL) sum to U_Y − U_X, the counted hours of the cel in Y and in X summed straight from
--    werk.telbare_uren (DECIMAL; equality without tolerance);
-- 2. in banen, against the published table: the categories of meting.stromen sum to the change of
--    the cel in meting.banen (formeel per sector; inleen = both sectors, whose split by the
--    verdeelsleutel adds up to the unsplit hours). Tolerance 1e-6 banen: the published cells are
--    DOUBLEs (the key's split and the division by the divisor round in the 16th digit), no
--    arithmetic tolerance on the flows themselves (those are checked exactly in 1.);
-- 3. every person of a (jaar, basisjaar) has exactly one category.
WITH paren AS (SELECT DISTINCT jaar, basisjaar FROM werk.stromen_personen
               WHERE jaar IN (SELECT jaar FROM werk.meetjaren)),
cellen AS (SELECT p.*, c.cel FROM paren AS p
           CROSS JOIN (VALUES ('formeel_markt'), ('formeel_overheid'), ('inleen')) AS c(cel)),
uren AS (
    SELECT jaar, CASE WHEN vorm = 'inleen' THEN 'inleen' ELSE 'formeel_' || sector END AS cel,
           sum(uren_venster) AS uren
    FROM werk.telbare_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY ALL
),
bijdragen AS (
    SELECT jaar, basisjaar, cel, sum(bijdrage_uren) AS uren
    FROM werk.stromen_personen WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY ALL
),
gepubliceerd AS (
    SELECT jaar, CASE WHEN vorm = 'inleen' THEN 'inleen' ELSE 'formeel_' || sector END AS cel, sum(banen) AS banen
    FROM meting.banen WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY ALL
),
stromen AS (
    SELECT jaar, basisjaar, cel, sum(banen) AS banen
    FROM meting.stromen WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY ALL
),
uren_afwijking AS (
    SELECT c.jaar, c.basisjaar, c.cel,
           'bijdragen ' || coalesce(b.uren, 0) || ' uur <> verandering ' || (coalesce(uy.uren, 0) - coalesce(ux.uren, 0))
               || ' uur' AS afwijking
    FROM cellen AS c
    LEFT JOIN bijdragen AS b USING (jaar, basisjaar, cel)
    LEFT JOIN uren AS uy ON uy.jaar = c.jaar AND uy.cel = c.cel
    LEFT JOIN uren AS ux ON ux.jaar = c.basisjaar AND ux.cel = c.cel
    WHERE coalesce(b.uren, 0) <> coalesce(uy.uren, 0) - coalesce(ux.uren, 0)
),
banen_afwijking AS (
    SELECT c.jaar, c.basisjaar, c.cel,
           'stromen ' || coalesce(s.banen, 0) || ' banen <> verandering in meting.banen '
               || (coalesce(gy.banen, 0) - coalesce(gx.banen, 0)) AS afwijking
    FROM cellen AS c
    LEFT JOIN stromen AS s USING (jaar, basisjaar, cel)
    LEFT JOIN gepubliceerd AS gy ON gy.jaar = c.jaar AND gy.cel = c.cel
    LEFT JOIN gepubliceerd AS gx ON gx.jaar = c.basisjaar AND gx.cel = c.cel
    WHERE gy.banen IS NULL OR gx.banen IS NULL
       OR abs(coalesce(s.banen, 0) - (gy.banen - gx.banen)) > 1e-6
),
dubbel AS (
    SELECT jaar, basisjaar, 'alle' AS cel,
           count(*) || ' personen met meer dan één categorie' AS afwijking
    FROM (SELECT jaar, basisjaar, persoon_id FROM werk.stromen_personen
          WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
          GROUP BY ALL HAVING count(DISTINCT categorie) > 1)
    GROUP BY jaar, basisjaar
)
SELECT * FROM uren_afwijking
UNION ALL SELECT * FROM banen_afwijking
UNION ALL SELECT * FROM dubbel
ORDER BY jaar, basisjaar, cel;
