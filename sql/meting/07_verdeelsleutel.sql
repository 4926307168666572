-- METHOD R7 — Inleen verdeelsleutel.
-- All inleen hours of the window (uitzend and Wsw-detachering together) are split over markt and
-- overheid with the key of year $jaar: the published key from ref.verdeelsleutel, or — only for a
-- year without one — a provisional key passed explicitly for this run ($voorlopig_aandeel_markt,
-- NULL when none), which marks every output row of the year provisional. A year without any key
-- is an error naming the year. Formal hours stay at the employer's sector (R6).
-- Every sector × vorm cell is present, also when 0.
-- Parameters: $jaar, $voorlopig_aandeel_markt.
SELECT CASE WHEN count(*) > 0 AND CAST($voorlopig_aandeel_markt AS DOUBLE) IS NOT NULL THEN error(
    'Meetjaar ' || $jaar || ' heeft een gepubliceerde verdeelsleutel in data/reference/verdeelsleutel.csv; '
    || 'een voorlopige sleutel is alleen toegestaan voor een jaar zonder gepubliceerde sleutel')
END
FROM ref.verdeelsleutel WHERE jaar = $jaar;

SELECT CASE WHEN CAST($voorlopig_aandeel_markt AS DOUBLE) NOT BETWEEN 0 AND 1 THEN error(
    'Voorlopige verdeelsleutel voor ' || $jaar || ' moet een aandeel markt tussen 0 en 1 zijn, niet '
    || $voorlopig_aandeel_markt)
END;

DELETE FROM werk.verdeelsleutel WHERE jaar = $jaar;
INSERT INTO werk.verdeelsleutel
SELECT jaar, aandeel_markt, aandeel_overheid, false AS voorlopig, bron
FROM ref.verdeelsleutel
WHERE jaar = $jaar AND CAST($voorlopig_aandeel_markt AS DOUBLE) IS NULL
UNION ALL
SELECT $jaar, CAST($voorlopig_aandeel_markt AS DOUBLE), 1 - CAST($voorlopig_aandeel_markt AS DOUBLE),
       true, 'voorlopige sleutel, expliciet opgegeven bij de run (METHOD R7)'
WHERE CAST($voorlopig_aandeel_markt AS DOUBLE) IS NOT NULL;

SELECT CASE WHEN count(*) = 0 THEN error(
    'Geen verdeelsleutel voor meetjaar ' || $jaar || ' in data/reference/verdeelsleutel.csv; '
    || 'geef een voorlopige sleutel op (--provisional-key ' || $jaar || '=AANDEEL_MARKT)')
END
FROM werk.verdeelsleutel WHERE jaar = $jaar;

DELETE FROM werk.uren_per_cel WHERE jaar = $jaar;

INSERT INTO werk.uren_per_cel
WITH uren AS (
    SELECT
        sum(uren_venster) FILTER (WHERE vorm = 'formeel' AND sector = 'markt') AS formeel_markt,
        sum(uren_venster) FILTER (WHERE vorm = 'formeel' AND sector = 'overheid') AS formeel_overheid,
        sum(uren_venster) FILTER (WHERE vorm = 'inleen') AS inleen
    FROM werk.telbare_uren
    WHERE jaar = $jaar
),
sleutel AS (
    SELECT aandeel_markt, aandeel_overheid, voorlopig FROM werk.verdeelsleutel WHERE jaar = $jaar
)
SELECT $jaar, cel.sector, cel.vorm, cel.uren, s.voorlopig
FROM uren, sleutel AS s,
LATERAL (VALUES
    ('markt', 'formeel', CAST(coalesce(uren.formeel_markt, 0) AS DOUBLE)),
    ('overheid', 'formeel', CAST(coalesce(uren.formeel_overheid, 0) AS DOUBLE)),
    ('markt', 'inleen', CAST(coalesce(uren.inleen, 0) AS DOUBLE) * s.aandeel_markt),
    ('overheid', 'inleen', CAST(coalesce(uren.inleen, 0) AS DOUBLE) * s.aandeel_overheid)
) AS cel(sector, vorm, uren);
