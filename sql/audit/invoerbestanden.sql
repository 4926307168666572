-- step: audit.invoerbestanden
-- rule: audit — every input file each year of the run was measured from (path, sha256, bytes, rows)
-- reads: ingest.bestanden, werk.meetjaren
DELETE FROM audit.invoerbestanden WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO audit.invoerbestanden
SELECT m.jaar, b.extract, b.bron_bestand, b.formaat, b.sha256, b.bytes, b.rijen_gelezen
FROM werk.meetjaren AS m CROSS JOIN ingest.bestanden AS b
ORDER BY m.jaar, b.bron_bestand;
