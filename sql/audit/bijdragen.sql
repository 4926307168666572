-- Drill-down of year $jaar: every counted payroll record's contribution to a published cell
-- (jaar, sector, vorm), with its employer, pseudonymised person, December hours and banen.
-- Formal records contribute all their hours to their employer's sector; inleen records contribute
-- uren × the share of the verdeelsleutel to each sector (METHOD R7). Per cell, the contributions
-- add up to meting.banen (to within 1e-9 hours: the cell multiplies the exact sum by the share).
-- Parameters: $jaar, $uren_per_baan_per_week, $venster_begin, $venster_einde.
DELETE FROM audit.bijdragen WHERE jaar = $jaar;

INSERT INTO audit.bijdragen
WITH sleutel AS (
    SELECT 'markt' AS sector, aandeel_markt AS aandeel FROM werk.verdeelsleutel WHERE jaar = $jaar
    UNION ALL
    SELECT 'overheid', aandeel_overheid FROM werk.verdeelsleutel WHERE jaar = $jaar
),
toegerekend AS (
    SELECT t.*, t.sector AS cel_sector, 1.0 AS aandeel FROM werk.telbare_uren AS t
    WHERE t.jaar = $jaar AND t.vorm = 'formeel'
    UNION ALL
    SELECT t.*, s.sector, s.aandeel FROM werk.telbare_uren AS t CROSS JOIN sleutel AS s
    WHERE t.jaar = $jaar AND t.vorm = 'inleen'
)
SELECT
    jaar, cel_sector AS sector, vorm, inleen_soort, loonheffingennummer, persoon_id, ikv_id,
    tijdvak_begin, bron_bestand, regelnummer,
    CAST(uren_venster AS DOUBLE) AS uren_venster,
    aandeel,
    CAST(uren_venster AS DOUBLE) * aandeel AS uren,
    CAST(uren_venster AS DOUBLE) * aandeel
        / uren_per_baan_in_venster($uren_per_baan_per_week, $venster_begin, $venster_einde) AS banen
FROM toegerekend;
