-- Great Expectations frame 'polis_venster': the final payroll versions of measurement year $jaar
-- (werk.definitieve_versies, METHOD R1: one row per loonheffingennummer, ikv_id, tijdvak_begin).
-- max_uren = 24 x the days of the payroll period (docs/EXTRACTS.md §1: verloonde_uren <= 24 x days).
-- Hours are DOUBLE for pandas speed; exact for the comparison (24 x days is a whole number).
-- Validated by the suite 'polis_venster' in pipeline/kwaliteit/gx.py.
-- Parameters: $jaar.
SELECT
    loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde,
    CAST(verloonde_uren AS DOUBLE) AS verloonde_uren,
    CAST(24 * (date_diff('day', tijdvak_begin, tijdvak_einde) + 1) AS DOUBLE) AS max_uren,
    code_aard_arbeidsverhouding, aanleverdatum
FROM werk.definitieve_versies
WHERE jaar = $jaar
ORDER BY loonheffingennummer, ikv_id, tijdvak_begin
