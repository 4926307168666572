-- step: werk.venster_uren
-- rule: R2 + R3 — Measurement window and day-proportional apportioning
-- reads: werk.definitieve_versies, werk.meetjaren
--
-- The window of year Y is [venster_begin, venster_einde] of werk.meetjaren (1–31 December). A
-- payroll period (month, four weeks or week; never across a calendar year) contributes
--     verloonde_uren × (days of the period inside the window) / (days of the period)
-- hours. A December month counts whole; a four-weekly period 5 Nov–2 Dec counts 2/28.
-- The result is kept as DECIMAL(38,10) so that sums are exact and run-to-run identical.
DELETE FROM werk.venster_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.venster_uren
SELECT
    jaar, bron_bestand, regelnummer, persoon_id, loonheffingennummer, ikv_id,
    tijdvak_begin, tijdvak_einde, code_aard_arbeidsverhouding, verloonde_uren,
    dagen_tijdvak, dagen_in_venster,
    CAST(verloonde_uren * dagen_in_venster / dagen_tijdvak AS DECIMAL(38, 10)) AS uren_venster
FROM (
    SELECT
        d.*,
        date_diff('day', d.tijdvak_begin, d.tijdvak_einde) + 1 AS dagen_tijdvak,
        date_diff('day', greatest(d.tijdvak_begin, m.venster_begin),
                         least(d.tijdvak_einde, m.venster_einde)) + 1 AS dagen_in_venster
    FROM werk.definitieve_versies AS d
    JOIN werk.meetjaren AS m USING (jaar)
);
