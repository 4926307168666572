-- step: werk.banen_per_cel
-- rule: R8 — Conversion to banen
-- reads: werk.uren_per_cel, werk.meetjaren
--
-- banen = uren / (uren_per_baan_per_week × days in the window / 7), i.e. 25.5 × 31/7 for
-- December (macro uren_per_baan_in_venster). Applied to each sector × vorm cell; full precision
-- is kept (rounding is presentation).
DELETE FROM werk.banen_per_cel WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.banen_per_cel
SELECT
    c.jaar, c.sector, c.vorm, c.uren,
    c.uren / uren_per_baan_in_venster(m.uren_per_baan_per_week, m.venster_begin, m.venster_einde) AS banen,
    c.voorlopig
FROM werk.uren_per_cel AS c
JOIN werk.meetjaren AS m USING (jaar);
