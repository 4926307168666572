-- step: werk.definitieve_versies
-- rule: R1 — Final version of each payroll record
-- reads: staging.polis, werk.meetjaren
--
-- Per (loonheffingennummer, ikv_id, tijdvak_begin) the version with the latest aanleverdatum on
-- or before the year's cut-off date counts; ties go to the highest volgnummer (and a tie on both
-- counts for nothing, see below). Only records whose
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
WINDOW laatste AS (
    PARTITION BY p.loonheffingennummer, p.ikv_id, p.tijdvak_begin
    ORDER BY p.aanleverdatum DESC, p.volgnummer DESC
)
QUALIFY row_number() OVER laatste = 1
    -- two versions on top with the same aanleverdatum and volgnummer: the final version is
    -- ambiguous and the record counts for nothing (as R15 in sql/ingest/werkgever_uren.sql). With
    -- the reference cut-off the cross-row rule dubbele_versie has already quarantined such a pair
    -- (sql/ingest/polis_kruiscontroles.sql); under a run's own cut-off (--cutoff-date) another
    -- pair can be on top, and row_number alone would pick one of the two at random.
    AND (lead(p.aanleverdatum) OVER laatste, lead(p.volgnummer) OVER laatste)
        IS DISTINCT FROM (p.aanleverdatum, p.volgnummer);
