-- step: werk.na_afsluitdatum
-- rule: R1 — Versions delivered after the cut-off date are kept and reported, not counted
-- reads: staging.polis, werk.meetjaren
--
-- Every version of a record in the window of a year of the run whose aanleverdatum lies after
-- that year's cut-off date (R1). They are listed in the ledger (audit.grootboek), never counted.
DELETE FROM werk.na_afsluitdatum WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.na_afsluitdatum
SELECT m.jaar, p.bron_bestand, p.regelnummer, p.loonheffingennummer, p.ikv_id, p.tijdvak_begin,
       p.aanleverdatum, m.afsluitdatum
FROM staging.polis AS p
JOIN werk.meetjaren AS m ON m.jaar = year(p.tijdvak_begin)
WHERE p.tijdvak_begin <= m.venster_einde
  AND p.tijdvak_einde >= m.venster_begin
  AND p.aanleverdatum > m.afsluitdatum;
