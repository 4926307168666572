-- METHOD R2 + R3 — Measurement window and day-proportional apportioning.
-- The window of year $jaar is [$venster_begin, $venster_einde] (1–31 December). A payroll period
-- (month, four weeks or week; never across a calendar year) contributes
--     verloonde_uren × (days of the period inside the window) / (days of the period)
-- hours. A December month counts whole; a four-weekly period 5 Nov–2 Dec counts 2/28.
-- The result is kept as DECIMAL(38,10) so that sums are exact and run-to-run identical.
-- Parameters: $jaar, $venster_begin, $venster_einde.
DELETE FROM werk.venster_uren WHERE jaar = $jaar;

INSERT INTO werk.venster_uren
SELECT
    jaar, bron_bestand, regelnummer, persoon_id, loonheffingennummer, ikv_id,
    tijdvak_begin, tijdvak_einde, code_aard_arbeidsverhouding, verloonde_uren,
    dagen_tijdvak, dagen_in_venster,
    CAST(verloonde_uren * dagen_in_venster / dagen_tijdvak AS DECIMAL(38, 10)) AS uren_venster
FROM (
    SELECT
        *,
        date_diff('day', tijdvak_begin, tijdvak_einde) + 1 AS dagen_tijdvak,
        date_diff('day', greatest(tijdvak_begin, $venster_begin),
                         least(tijdvak_einde, $venster_einde)) + 1 AS dagen_in_venster
    FROM werk.definitieve_versies
    WHERE jaar = $jaar
);
