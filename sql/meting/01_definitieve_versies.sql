-- METHOD R1 — Final version of each payroll record.
-- Per (loonheffingennummer, ikv_id, tijdvak_begin) the version with the latest aanleverdatum on
-- or before the cut-off date counts; ties go to the highest volgnummer. Only records whose
-- period overlaps the measurement window (R2) are needed for year $jaar.
-- Versions delivered after the cut-off are kept in werk.na_afsluitdatum (reported, not counted).
-- Parameters: $jaar, $venster_begin, $venster_einde, $afsluitdatum.
DELETE FROM werk.definitieve_versies WHERE jaar = $jaar;
DELETE FROM werk.na_afsluitdatum WHERE jaar = $jaar;

INSERT INTO werk.definitieve_versies
SELECT
    $jaar AS jaar, bron_bestand, regelnummer, persoon_id, loonheffingennummer, ikv_id,
    tijdvak_begin, tijdvak_einde, verloonde_uren, code_aard_arbeidsverhouding,
    aanleverdatum, volgnummer
FROM staging.polis
WHERE tijdvak_begin <= $venster_einde
  AND tijdvak_einde >= $venster_begin
  AND aanleverdatum <= $afsluitdatum
QUALIFY row_number() OVER (
    PARTITION BY loonheffingennummer, ikv_id, tijdvak_begin
    ORDER BY aanleverdatum DESC, volgnummer DESC
) = 1;

INSERT INTO werk.na_afsluitdatum
SELECT $jaar, bron_bestand, regelnummer, loonheffingennummer, ikv_id, tijdvak_begin,
       aanleverdatum, $afsluitdatum
FROM staging.polis
WHERE tijdvak_begin <= $venster_einde
  AND tijdvak_einde >= $venster_begin
  AND aanleverdatum > $afsluitdatum;
