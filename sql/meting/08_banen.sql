-- METHOD R8 — Conversion to banen.
-- banen = uren / (uren_per_baan_per_week × days in the window / 7), i.e. 25.5 × 31/7 for
-- December. Applied to each sector × vorm cell; full precision is kept (rounding is presentation).
-- Parameters: $jaar, $uren_per_baan_per_week, $venster_begin, $venster_einde.
DELETE FROM werk.banen_per_cel WHERE jaar = $jaar;

INSERT INTO werk.banen_per_cel
SELECT
    jaar, sector, vorm, uren,
    uren / uren_per_baan_in_venster($uren_per_baan_per_week, $venster_begin, $venster_einde) AS banen,
    voorlopig
FROM werk.uren_per_cel
WHERE jaar = $jaar;
