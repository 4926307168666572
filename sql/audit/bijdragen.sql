-- step: audit.bijdragen
-- rule: audit — drill-down: every counted record's contribution to a published cell
-- reads: werk.toegerekende_uren, werk.meetjaren
--
-- Per (jaar, sector, vorm) every contributing payroll record with its employer, pseudonymised
-- person, December hours and banen. The attribution to the cells is the view
-- werk.toegerekende_uren (R7, stated once); banen as R8 (macro uren_per_baan_in_venster). Per
-- cell, the contributions add up to meting.banen to within floating-point summation (1e-12
-- relative: the cell multiplies the exact DECIMAL sum by the share, the drill-down sums doubles).
DELETE FROM audit.bijdragen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO audit.bijdragen
SELECT
    t.jaar, t.sector, t.vorm, t.inleen_soort, t.loonheffingennummer, t.persoon_id, t.ikv_id,
    t.tijdvak_begin, t.bron_bestand, t.regelnummer,
    CAST(t.uren_venster AS DOUBLE) AS uren_venster,
    CAST(t.aandeel AS DOUBLE) AS aandeel,
    CAST(t.uren_venster * t.aandeel AS DOUBLE) AS uren,
    CAST(t.uren_venster * t.aandeel AS DOUBLE)
        / uren_per_baan_in_venster(m.uren_per_baan_per_week, m.venster_begin, m.venster_einde) AS banen
FROM werk.toegerekende_uren AS t
JOIN werk.meetjaren AS m USING (jaar);
