-- step: werk.definitieve_versies
-- rule: R1 — Final version of each payroll record
-- reads: staging.polis, werk.meetjaren
--
-- Per (loonheffingennummer, ikv_id, tijdvak_begin) the version with the latest aanleverdatum on
-- or before the year's cut-off date counts; ties go to the highest volgnummer. Only records whose
-- period overlaps the measurement window of a year of the run (R2) are needed. A payroll period
-- never crosses a calendar year (checked at ingestion), so the year of tijdvak_begin is the only
-- measurement year whose window it can overlap: that is the join key, the window the filter.
DELETE FROM werk.definitieve_versies WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.definitieve_versies
SELECT
    m.jaar, p.bron_bestand, p.regelnummer, p.persoon_id, p.loonheffingennummer, p.ikv_id,
    p.tijdvak_begin, p.tijdvak_einde, p.verloonde_uren, p.code_aard_arbeidsverhouding,
    p.aanleverdatum, p.volgnummer
FROM staging.polis AS p
JOIN werk.meetjaren AS m ON m.jaar = year(p.tijdvak_begin)
WHERE p.tijdvak_begin <= m.venster_einde
  AND p.tijdvak_einde >= m.venster_begin
  AND p.aanleverdatum <= m.afsluitdatum
QUALIFY row_number() OVER (
    PARTITION BY p.loonheffingennummer, p.ikv_id, p.tijdvak_begin
    ORDER BY p.aanleverdatum DESC, p.volgnummer DESC
) = 1;
