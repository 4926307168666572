-- Great Expectations frame 'polis_venster': the final payroll versions of every year of the run
-- (werk.definitieve_versies, METHOD R1: one row per jaar, loonheffingennummer, ikv_id, tijdvak_begin).
-- max_uren = 24 x the days of the payroll period (docs/EXTRACTS.md §1: verloonde_uren <= 24 x days).
-- Hours are DOUBLE for pandas speed; exact for the comparison (24 x days is a whole number).
-- Validated by the suite 'polis_venster' in pipeline/kwaliteit/gx.py.
-- Reads werk.meetjaren (the years of the run).
SELECT
    jaar, loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde,
    CAST(verloonde_uren AS DOUBLE) AS verloonde_uren,
    CAST(24 * (date_diff('day', tijdvak_begin, tijdvak_einde) + 1) AS DOUBLE) AS max_uren,
    code_aard_arbeidsverhouding, aanleverdatum
FROM werk.definitieve_versies
WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
ORDER BY jaar, loonheffingennummer, ikv_id, tijdvak_begin
