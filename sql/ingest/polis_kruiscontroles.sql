-- Rule across rows of the polis (docs/EXTRACTS.md §1, METHOD R1), run after every polis file is
-- ingested, on the kept rows (the ones that can be counted). Marks rows accepted so far; a row
-- keeps the first rule it broke. (The cross-extract employer rule runs inside polis.sql.)

-- No two final versions of one payroll record (METHOD R1): when the latest versions delivered on
-- or before the cut-off date of the record's year share aanleverdatum and volgnummer, the final
-- version is ambiguous and no version of that record is counted.
-- Parameter: $afsluitdatum_maand_dag (MM-DD of year Y+1, reference data).
UPDATE ingest.polis AS p
SET regel = 'dubbele_versie', kolom = 'volgnummer', waarde = CAST(p.volgnummer AS VARCHAR),
    melding = 'de laatste versie van dit record is dubbel aangeleverd (zelfde aanleverdatum en volgnummer)'
FROM (
    SELECT DISTINCT loonheffingennummer, ikv_id, tijdvak_begin
    FROM (
        SELECT
            loonheffingennummer, ikv_id, tijdvak_begin,
            rank() OVER (PARTITION BY loonheffingennummer, ikv_id, tijdvak_begin
                         ORDER BY aanleverdatum DESC, volgnummer DESC) AS positie,
            count(*) OVER (PARTITION BY loonheffingennummer, ikv_id, tijdvak_begin,
                           aanleverdatum, volgnummer) AS versies
        FROM ingest.polis
        WHERE regel IS NULL
          AND aanleverdatum <= CAST(CAST(year(tijdvak_begin) + 1 AS VARCHAR) || '-' || $afsluitdatum_maand_dag AS DATE)
    )
    WHERE positie = 1 AND versies > 1
) AS d
WHERE p.regel IS NULL
  AND p.loonheffingennummer = d.loonheffingennummer
  AND p.ikv_id = d.ikv_id
  AND p.tijdvak_begin = d.tijdvak_begin;
