-- step: werk.venster_uren
-- rule: R2 + R3 — Measurement window and day-proportional apportioning
-- reads: werk.definitieve_versies, werk.meetjaren
--
-- The window of year Y is [venster_begin, venster_einde] of werk.meetjaren (1–31 December). A
-- payroll period (month, four weeks or week; never across a calendar year) contributes
--     verloonde_uren × (days of the period inside the window) / (days of the period)
-- hours. A December month counts whole; a four-weekly period 5 Nov–2 Dec counts 2/28.
-- The result is kept as DECIMAL(38,10) so that sums are exact and run-to-run identical (the
-- macros dagen_in_venster and uren_in_venster of sql/schema/regels.sql).
DELETE FROM werk.venster_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.venster_uren
SELECT
    d.jaar, d.bron_bestand, d.regelnummer, d.persoon_id, d.loonheffingennummer, d.ikv_id,
    d.tijdvak_begin, d.tijdvak_einde, d.code_aard_arbeidsverhouding, d.verloonde_uren,
    date_diff('day', d.tijdvak_begin, d.tijdvak_einde) + 1 AS dagen_tijdvak,
    dagen_in_venster(d.tijdvak_begin, d.tijdvak_einde, m.venster_begin, m.venster_einde) AS dagen_in_venster,
    uren_in_venster(d.verloonde_uren, d.tijdvak_begin, d.tijdvak_einde, m.venster_begin, m.venster_einde) AS uren_venster
FROM werk.definitieve_versies AS d
JOIN werk.meetjaren AS m USING (jaar);
