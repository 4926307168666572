-- METHOD R15 (first half) — the hours of every person per employer, year and CAA, from the polis
-- pass itself (sql/ingest/polis.sql): run once after the last polis file, in the same connection.
--
-- Input: the temporary table polis_records (one row per group of the polis pass — a kept row, or
-- the rows not kept of a payroll record — per file: the group's final version under R1 with
-- cut-off 1 May of Y+1, and whether it is there twice). Over the files,
-- per (loonheffingennummer, ikv_id, tijdvak_begin) the version with the highest `versie` is final;
-- when the highest version of the record is there twice (same aanleverdatum and volgnummer, as the
-- cross-row rule `dubbele_versie` of sql/ingest/polis_kruiscontroles.sql) the final version is
-- ambiguous and the record counts for nothing.
-- Output: ingest.werkgever_uren (per loonheffingennummer, jaar, CAA: whole-year hours and records)
-- and ingest.werkgever_personen (per loonheffingennummer, jaar: persons whose final versions give
-- them hours > 0 in the window of the year, R2/R3 apportioned). No BSN leaves this connection: the
-- persons are only counted. The uitlener and SW-bedrijf exclusions need the employer's register
-- version of the year (R6) and are applied in sql/meting/R15_werkgever_uren.sql.
-- Parameters: $venster_begin_maand/_dag, $venster_einde_maand/_dag (the window, R2).
DELETE FROM ingest.werkgever_uren;
DELETE FROM ingest.werkgever_personen;

CREATE OR REPLACE TEMP TABLE polis_finaal AS
SELECT
    loonheffingennummer, ikv_id, tijdvak_begin,
    arg_max({'einde': tijdvak_einde, 'uren': verloonde_uren, 'caa': code_aard_arbeidsverhouding, 'bsn': bsn,
             'gelijk': gelijk}, versie) AS finaal,
    -- the same highest version in two groups (two kept rows, or two files) is a tie too: the lowest
    -- and the highest group id (file number × 2^40 + the group's first line) among the groups
    -- with the highest version differ
    arg_max(groep, CAST(versie AS HUGEINT) * 1152921504606846976 + groep)
        <> arg_max(groep, CAST(versie AS HUGEINT) * 1152921504606846976 - groep) AS gelijk_over_groepen
FROM (SELECT *, CAST(bestand AS BIGINT) * 1099511627776 + regel AS groep FROM polis_records)
GROUP BY loonheffingennummer, ikv_id, tijdvak_begin;

CREATE OR REPLACE TEMP TABLE polis_finaal AS
SELECT loonheffingennummer, ikv_id, tijdvak_begin, finaal.einde AS tijdvak_einde, finaal.uren AS verloonde_uren,
       finaal.caa AS code_aard_arbeidsverhouding, finaal.bsn AS bsn
FROM polis_finaal
WHERE NOT finaal.gelijk AND NOT gelijk_over_groepen;

INSERT INTO ingest.werkgever_uren
SELECT
    loonheffingennummer, year(tijdvak_begin) AS jaar, code_aard_arbeidsverhouding,
    sum(verloonde_uren) AS uren_jaar, count(*) AS tijdvakken
FROM polis_finaal
GROUP BY ALL;

INSERT INTO ingest.werkgever_personen
WITH venster AS (
    SELECT
        loonheffingennummer, bsn, year(tijdvak_begin) AS jaar,
        verloonde_uren * (date_diff('day',
                greatest(tijdvak_begin, make_date(year(tijdvak_begin), $venster_begin_maand, $venster_begin_dag)),
                least(tijdvak_einde, make_date(year(tijdvak_begin), $venster_einde_maand, $venster_einde_dag))) + 1)
            / (date_diff('day', tijdvak_begin, tijdvak_einde) + 1) AS uren_venster
    FROM polis_finaal
    WHERE tijdvak_begin <= make_date(year(tijdvak_begin), $venster_einde_maand, $venster_einde_dag)
      AND tijdvak_einde >= make_date(year(tijdvak_begin), $venster_begin_maand, $venster_begin_dag)
)
SELECT loonheffingennummer, jaar, count(*) AS personen_venster
FROM (SELECT loonheffingennummer, jaar, bsn FROM venster GROUP BY ALL HAVING sum(uren_venster) > 0)
GROUP BY ALL;

DROP TABLE polis_finaal;
