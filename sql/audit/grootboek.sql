-- The step ledger of year $jaar: from raw payroll rows to Table 1, one line per step and part,
-- so every published figure can be followed back through the rules (audit.grootboek).
-- Parameters: $jaar, $venster_begin, $venster_einde, $afsluitdatum, $uren_per_baan_per_week.
DELETE FROM audit.grootboek WHERE jaar = $jaar;

INSERT INTO audit.grootboek
-- 1. every polis row read from the delivery, and what ingestion did with it
SELECT $jaar, 1, 'polis rijen gelezen', 'EXTRACTS §1', 'alle', sum(rijen_gelezen), NULL, NULL
FROM kwaliteit.bestanden WHERE extract = 'polis'
UNION ALL
SELECT $jaar, 2, 'polis rijen in quarantaine', 'EXTRACTS §1', regel, count(*), NULL, NULL
FROM ingest.polis WHERE regel IS NOT NULL GROUP BY regel
UNION ALL
SELECT $jaar, 3, 'polis rijen geaccepteerd en bewaard', 'R2, R4', 'tijdvak in venster, persoon in register',
       count(*), sum(verloonde_uren), NULL
FROM staging.polis
UNION ALL
SELECT $jaar, 3, 'polis rijen geaccepteerd, niet bewaard', 'R2, R4',
       'tijdvak buiten venster of persoon niet in register', sum(rijen_niet_bewaard), NULL, NULL
FROM kwaliteit.bestanden WHERE extract = 'polis'
UNION ALL
-- 2. versions of kept records whose period overlaps the window of year $jaar
SELECT $jaar, 4, 'versies met tijdvak in het venster', 'R2', 'alle', count(*), sum(verloonde_uren), NULL
FROM staging.polis WHERE tijdvak_begin <= $venster_einde AND tijdvak_einde >= $venster_begin
UNION ALL
SELECT $jaar, 5, 'versies na de afsluitdatum (niet geteld)', 'R1', 'na ' || $afsluitdatum, count(*), NULL, NULL
FROM werk.na_afsluitdatum WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 6, 'definitieve versies', 'R1', 'alle', count(*), sum(verloonde_uren), NULL
FROM werk.definitieve_versies WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 7, 'uren in het venster', 'R3', 'alle', count(*), sum(uren_venster), NULL
FROM werk.venster_uren WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 8, 'in de doelgroep', 'R4', 'alle', count(*), sum(uren_venster), NULL
FROM werk.doelgroep_uren WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 9, 'per vorm', 'R5', vorm || coalesce(' (' || inleen_soort || ')', ''), count(*), sum(uren_venster), NULL
FROM werk.vorm_uren WHERE jaar = $jaar GROUP BY vorm, inleen_soort
UNION ALL
SELECT $jaar, 10, 'telbare uren per sector', 'R6', vorm || ' ' || coalesce(sector, 'te verdelen'), count(*),
       sum(uren_venster), NULL
FROM werk.telbare_uren WHERE jaar = $jaar GROUP BY vorm, sector
UNION ALL
SELECT $jaar, 11, 'uren per cel na verdeelsleutel', 'R7', vorm || ' ' || sector, NULL, uren, NULL
FROM werk.uren_per_cel WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 12, 'banen per cel', 'R8', vorm || ' ' || sector, NULL, uren, banen
FROM werk.banen_per_cel WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 13, 'extra banen t.o.v. nulmeting', 'R9', vorm || ' ' || sector, NULL, NULL, extra_banen
FROM meting.banen WHERE jaar = $jaar;
