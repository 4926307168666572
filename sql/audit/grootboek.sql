-- step: audit.grootboek
-- rule: audit — the step ledger from raw payroll rows to Table 1, per year of the run
-- reads: kwaliteit.bestanden, ingest.polis, staging.polis, werk.na_afsluitdatum, werk.definitieve_versies, werk.venster_uren, werk.doelgroep_uren, werk.vorm_uren, werk.telbare_uren, werk.uren_per_cel, werk.banen_per_cel, meting.banen, werk.meetjaren
--
-- One line per step and part, so every published figure can be followed back through the rules.
-- Lines 1–3 describe the delivery (the same for every year of the run); 4 onwards the year.
-- The blocking check grootboek_sluit (pipeline/audit) verifies that each step reconciles with
-- the next.
DELETE FROM audit.grootboek WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO audit.grootboek
WITH levering AS (
    SELECT 1 AS volgorde, 'polis rijen gelezen' AS stap, 'EXTRACTS §1' AS regel, 'alle' AS deel,
           sum(rijen_gelezen) AS rijen, CAST(NULL AS DOUBLE) AS uren
    FROM kwaliteit.bestanden WHERE extract = 'polis'
    UNION ALL
    SELECT 2, 'polis rijen in quarantaine', 'EXTRACTS §1', regel, count(*), NULL
    FROM ingest.polis WHERE regel IS NOT NULL GROUP BY regel
    UNION ALL
    SELECT 3, 'polis rijen geaccepteerd en bewaard', 'R4, R17', 'persoon in register',
           count(*), sum(verloonde_uren)
    FROM staging.polis
    UNION ALL
    SELECT 3, 'polis rijen geaccepteerd, niet bewaard', 'R4, R17',
           'persoon niet in register', sum(rijen_niet_bewaard), NULL
    FROM kwaliteit.bestanden WHERE extract = 'polis'
)
SELECT m.jaar, l.volgorde, l.stap, l.regel, l.deel, l.rijen, l.uren, CAST(NULL AS DOUBLE)
FROM werk.meetjaren AS m CROSS JOIN levering AS l
UNION ALL
SELECT m.jaar, 4, 'versies met tijdvak in het venster', 'R2', 'alle', count(p.tijdvak_begin), sum(p.verloonde_uren), NULL
FROM werk.meetjaren AS m
LEFT JOIN staging.polis AS p
  ON year(p.tijdvak_begin) = m.jaar AND p.tijdvak_begin <= m.venster_einde AND p.tijdvak_einde >= m.venster_begin
GROUP BY m.jaar
UNION ALL
SELECT m.jaar, 5, 'versies na de afsluitdatum (niet geteld)', 'R1', 'na ' || m.afsluitdatum, count(n.jaar), NULL, NULL
FROM werk.meetjaren AS m LEFT JOIN werk.na_afsluitdatum AS n USING (jaar)
GROUP BY m.jaar, m.afsluitdatum
UNION ALL
SELECT m.jaar, 6, 'definitieve versies', 'R1', 'alle', count(d.jaar), sum(d.verloonde_uren), NULL
FROM werk.meetjaren AS m LEFT JOIN werk.definitieve_versies AS d USING (jaar)
GROUP BY m.jaar
UNION ALL
SELECT m.jaar, 7, 'uren in het venster', 'R3', 'alle', count(v.jaar), sum(v.uren_venster), NULL
FROM werk.meetjaren AS m LEFT JOIN werk.venster_uren AS v USING (jaar)
GROUP BY m.jaar
UNION ALL
SELECT m.jaar, 8, 'in de doelgroep', 'R4', 'alle', count(d.jaar), sum(d.uren_venster), NULL
FROM werk.meetjaren AS m LEFT JOIN werk.doelgroep_uren AS d USING (jaar)
GROUP BY m.jaar
UNION ALL
SELECT jaar, 9, 'per vorm', 'R5', vorm || coalesce(' (' || inleen_soort || ')', ''), count(*), sum(uren_venster), NULL
FROM werk.vorm_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY jaar, vorm, inleen_soort
UNION ALL
SELECT jaar, 10, 'telbare uren per sector', 'R6', vorm || ' ' || coalesce(sector, 'te verdelen'), count(*),
       sum(uren_venster), NULL
FROM werk.telbare_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY jaar, vorm, sector
UNION ALL
SELECT jaar, 11, 'uren per cel na verdeelsleutel', 'R7', vorm || ' ' || sector, NULL, uren, NULL
FROM werk.uren_per_cel WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
UNION ALL
SELECT jaar, 12, 'banen per cel', 'R8', vorm || ' ' || sector, NULL, uren, banen
FROM werk.banen_per_cel WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
UNION ALL
SELECT jaar, 13, 'extra banen t.o.v. nulmeting', 'R9', vorm || ' ' || sector, NULL, NULL, extra_banen
FROM meting.banen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);
