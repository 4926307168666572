-- METHOD R15 (first half) — the hours of every person per employer, year and CAA, from the polis
-- pass itself (sql/ingest/polis.sql): run once after the last polis file, in the same connection.
--
-- Input: the temporary table polis_records (one row per accepted version of a payroll record that
-- was delivered on or before the cut-off of its year, 1 May of Y+1, of EVERY person, from every
-- file; `versie` = versie_volgorde(aanleverdatum, volgnummer), R1's order as one number).
-- R1 over all persons: per (loonheffingennummer, ikv_id, tijdvak_begin) the version with the highest
-- `versie` is final; when that version is there twice (same aanleverdatum and volgnummer, as the
-- cross-row rule `dubbele_versie` of sql/ingest/polis_kruiscontroles.sql) the final version is
-- ambiguous and the record counts for nothing.
-- Output: ingest.werkgever_uren (per loonheffingennummer, jaar, CAA: whole-year hours and records)
-- and ingest.werkgever_personen (per loonheffingennummer, jaar: persons whose final versions give
-- them hours > 0 in the window of the year, R2/R3 apportioned). No BSN leaves this connection: the
-- persons are only counted. The uitlener and SW-bedrijf exclusions need the employer's register
-- version of the year (R6) and are applied in sql/meting/R15_werkgever_totalen.sql.
-- Parameters: $venster_begin_maand/_dag, $venster_einde_maand/_dag (the window, R2).
--
-- How, at ~130 M versions a year: almost every record is delivered once, and a record delivered
-- once is its own final version. So only the records delivered more than once are grouped by their
-- key; the candidates are found by a 64-bit hash of the key, where a collision only makes a record
-- delivered once a candidate too (it is then decided exactly, by its key, like the others). Grouping
-- all ~130 M keys with the final version's columns needs several times the memory of a run.
DELETE FROM ingest.werkgever_uren;
DELETE FROM ingest.werkgever_personen;

-- the hash of every key delivered more than once
CREATE OR REPLACE TEMP TABLE polis_meervoudig AS
SELECT hash(loonheffingennummer, ikv_id, tijdvak_begin) AS sleutel
FROM polis_records
GROUP BY ALL
HAVING count(*) > 1;

-- R1 for those records, by their key: the highest version, if it is there once
CREATE OR REPLACE TEMP TABLE polis_meervoudig_finaal AS
SELECT loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde, verloonde_uren, code_aard_arbeidsverhouding, bsn
FROM polis_records
SEMI JOIN polis_meervoudig AS m ON m.sleutel = hash(loonheffingennummer, ikv_id, tijdvak_begin)
QUALIFY rank() OVER (PARTITION BY loonheffingennummer, ikv_id, tijdvak_begin ORDER BY versie DESC) = 1
    AND count(*) OVER (PARTITION BY loonheffingennummer, ikv_id, tijdvak_begin, versie) = 1;

-- the final version of every payroll record
CREATE OR REPLACE TEMP VIEW polis_finaal AS
SELECT loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde, verloonde_uren, code_aard_arbeidsverhouding, bsn
FROM polis_records
ANTI JOIN polis_meervoudig AS m ON m.sleutel = hash(loonheffingennummer, ikv_id, tijdvak_begin)
UNION ALL
SELECT * FROM polis_meervoudig_finaal;

INSERT INTO ingest.werkgever_uren
SELECT
    loonheffingennummer, year(tijdvak_begin) AS jaar, code_aard_arbeidsverhouding,
    sum(verloonde_uren) AS uren_jaar, count(*) AS tijdvakken
FROM polis_finaal
GROUP BY ALL;

INSERT INTO ingest.werkgever_personen
SELECT loonheffingennummer, jaar, count(*) AS personen_venster
FROM (
    SELECT loonheffingennummer, year(tijdvak_begin) AS jaar, bsn
    FROM (SELECT *, uren_in_venster(verloonde_uren, tijdvak_begin, tijdvak_einde,
                                    make_date(year(tijdvak_begin), $venster_begin_maand, $venster_begin_dag),
                                    make_date(year(tijdvak_begin), $venster_einde_maand, $venster_einde_dag))
                        AS uren_venster
          FROM polis_finaal)
    WHERE uren_venster IS NOT NULL  -- R2: the period overlaps the window of its year
    GROUP BY ALL
    HAVING sum(uren_venster) > 0    -- R3
)
GROUP BY ALL;

DROP VIEW polis_finaal;
DROP TABLE polis_meervoudig_finaal;
DROP TABLE polis_meervoudig;
