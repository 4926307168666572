-- The shared definitions of the rulebook (METHOD): every predicate or formula that more than one
-- step uses is stated here once, as a macro or a view, under the rule it belongs to. The R8 divisor
-- and the ingestion helpers (elfproef, pseudonym, field cleaning) are in sql/schema/macros.sql.

-- A date from a year and a reference parameter 'MM-DD' (meetperiode_*, afsluitdatum_maand_dag).
CREATE OR REPLACE MACRO maand_dag(jaar, md) AS
    make_date(jaar, CAST(split_part(md, '-', 1) AS INTEGER), CAST(split_part(md, '-', 2) AS INTEGER));

-- macro: versie_volgorde
-- METHOD R1: the order of the versions of one payroll record — the latest aanleverdatum first,
-- ties to the highest volgnummer — as one BIGINT (days since 1900-01-01 × 2^32 + volgnummer + 2^31),
-- so that max() over it is R1's final version. Used by the polis pass for METHOD R15
-- (sql/ingest/polis.sql, sql/ingest/werkgever_uren.sql).
CREATE OR REPLACE MACRO versie_volgorde(aanleverdatum, volgnummer) AS
    date_diff('day', DATE '1900-01-01', aanleverdatum) * 4294967296 + (volgnummer + 2147483648);

-- macro: dagen_in_venster, uren_in_venster
-- METHOD R2/R3: the days of the payroll period [tijdvak_begin, tijdvak_einde] inside the window
-- [venster_begin, venster_einde] (≤ 0 when they do not overlap), and the period's hours in the
-- window: verloonde_uren × those days / the days of the period, as DECIMAL(38,10) so that sums are
-- exact and run-to-run identical; NULL when the period does not overlap the window. Used by R3 and
-- by R15 (persons with hours in the window).
CREATE OR REPLACE MACRO dagen_in_venster(tijdvak_begin, tijdvak_einde, venster_begin, venster_einde) AS
    date_diff('day', greatest(tijdvak_begin, venster_begin), least(tijdvak_einde, venster_einde)) + 1;
CREATE OR REPLACE MACRO uren_in_venster(verloonde_uren, tijdvak_begin, tijdvak_einde, venster_begin, venster_einde) AS
    CASE WHEN tijdvak_begin <= venster_einde AND tijdvak_einde >= venster_begin
         THEN CAST(verloonde_uren * dagen_in_venster(tijdvak_begin, tijdvak_einde, venster_begin, venster_einde)
                   / (date_diff('day', tijdvak_begin, tijdvak_einde) + 1) AS DECIMAL(38, 10))
    END;

-- macro: telbare_registratie
-- reads: werk.meetjaren, ref.regeling_grondslag
-- METHOD R4/R14: a registration counts for the banenafspraak in measurement year `meetjaar` when
-- its grondslag counts under the regime of that year (werk.meetjaren.regeling, the official one or
-- the scenario's; ref.regeling_grondslag.telt_mee) and it lasts more than one day (datum_einde =
-- datum_ingang is ignored; an open datum_einde means still registered). Used by R4, R10 and the
-- §4 residence region.
CREATE OR REPLACE MACRO telbare_registratie(meetjaar, grondslag_code, datum_ingang, datum_einde) AS (
    (datum_einde IS NULL OR datum_einde > datum_ingang)
    AND EXISTS (
        SELECT 1 FROM werk.meetjaren AS rm
        JOIN ref.regeling_grondslag AS rg ON rg.regeling = rm.regeling
        WHERE rm.jaar = meetjaar AND rg.grondslag = grondslag_code AND rg.telt_mee
    )
);

-- macro: quotum_registratie
-- reads: ref.quotum_grondslag
-- METHOD R17 (C): a registration counts for the QUOTUM when its grondslag counts for the quotum
-- (ref.quotum_grondslag.telt_mee_quotum: the counting grondslagen plus VOORZIENING) and, as in R4,
-- it lasts more than one day. Used with overlapt() for R4's whole-period rule over the whole year.
CREATE OR REPLACE MACRO quotum_registratie(grondslag_code, datum_ingang, datum_einde) AS (
    (datum_einde IS NULL OR datum_einde > datum_ingang)
    AND grondslag_code IN (SELECT q.grondslag FROM ref.quotum_grondslag AS q WHERE q.telt_mee_quotum)
);

-- macro: quotum_telt
-- reads: ref.quotum_caa
-- METHOD R15/R17: whether hours of CAA `caa` at an employer (sector_risicogroep `srg`, SW-bedrijf
-- `sw`) count in grootheid 'A' (total hours: not an uitlener's CAA 11/82, not an SW-bedrijf's
-- CAA 21/22/23) or 'C' (doelgroep hours: not CAA 21/24, at an SW-bedrijf only CAA 22): the first
-- matching row of ref.quotum_caa. Used by R15 (A of Y and of Y−1) and R17 (C).
-- (the macro's subquery is bound when it is created: the table must exist, loaded or not)
CREATE SCHEMA IF NOT EXISTS ref;
CREATE TABLE IF NOT EXISTS ref.quotum_caa (
    grootheid VARCHAR, volgorde INTEGER, code_aard_arbeidsverhouding INTEGER, sector_risicogroep INTEGER,
    sw_bedrijf BOOLEAN, telt_mee BOOLEAN, bron VARCHAR
);
CREATE OR REPLACE MACRO quotum_telt(p_grootheid, caa, srg, sw) AS (
    SELECT arg_min(q.telt_mee, q.volgorde) FROM ref.quotum_caa AS q
    WHERE q.grootheid = p_grootheid
      AND (q.code_aard_arbeidsverhouding IS NULL OR q.code_aard_arbeidsverhouding = caa)
      AND (q.sector_risicogroep IS NULL OR q.sector_risicogroep = srg)
      AND (q.sw_bedrijf IS NULL OR q.sw_bedrijf = coalesce(sw, false))
);

-- METHOD R6: an employer (its register version) is in sector overheid when it is an
-- overheidswerkgever and less than the threshold share (sectorfonds_drempel, 0.5) of its paid
-- hours falls under a sectorfonds premium (Regeling Wfsv art. 3.27); otherwise markt. Used by R6
-- (formal jobs), R11 (uncounted hours per cel) and R15 (the employer's sector for participation
-- and the quotum).
CREATE OR REPLACE MACRO is_overheid(overheidswerkgever, uren_sectorfonds_aandeel, drempel) AS (
    overheidswerkgever AND uren_sectorfonds_aandeel < drempel
);

-- METHOD R4: a registration [datum_ingang, datum_einde] (open end = still registered) overlaps the
-- period [begin, einde] on at least one day. Valid on a date d: overlapt(ingang, einde, d, d).
CREATE OR REPLACE MACRO overlapt(datum_ingang, datum_einde, begin, einde) AS (
    datum_ingang <= einde AND coalesce(datum_einde, DATE '9999-12-31') >= begin
);

-- METHOD R5: rule r of ref.caa_vorm (its conditions regel_caa, regel_risicogroep, regel_sw; empty =
-- any) matches a payroll record with CAA code `caa` at an employer with sector_risicogroep
-- `risicogroep` and sw_bedrijf `sw`. The first matching rule (lowest volgorde) decides the vorm;
-- callers apply it to the distinct combinations that occur (a few dozen), never per record.
-- Used by R5 and by R11 (werkte_ongeteld: R5 without R4).
CREATE OR REPLACE MACRO vorm_regel_past(regel_caa, regel_risicogroep, regel_sw, caa, risicogroep, sw) AS (
    (regel_caa IS NULL OR regel_caa = caa)
    AND (regel_risicogroep IS NULL OR regel_risicogroep = risicogroep)
    AND (regel_sw IS NULL OR regel_sw = sw)
);

-- view: werk.toegerekende_uren
-- reads: werk.telbare_uren, meting.verdeelsleutel
-- METHOD R7: the hours of every counted record attributed to the cells of Table 1. A formal
-- record counts wholly at its employer's sector (R6, aandeel 1); an inleen record counts in both
-- sectors, each with the year's share of the verdeelsleutel (meting.verdeelsleutel). The share is
-- a DECIMAL(10,9) (keys are published with three decimals), so hours × share stays an exact
-- decimal: cells sum the exact uren_venster first and multiply by the (per cell constant) share
-- after, and 68 hours × 0.6 is 40.8, not 40.800000000000004.
-- Used by the cells (R7), the drill-down (audit.bijdragen) and the regional breakdown (§4).
CREATE OR REPLACE VIEW werk.toegerekende_uren AS
SELECT t.jaar, t.bron_bestand, t.regelnummer, t.persoon_id, t.loonheffingennummer, t.ikv_id,
       t.tijdvak_begin, t.vorm, t.inleen_soort, t.sector, t.overheidssector, t.werkgever_regio,
       t.uren_venster, CAST(1 AS DECIMAL(10, 9)) AS aandeel, s.voorlopig
FROM werk.telbare_uren AS t JOIN meting.verdeelsleutel AS s USING (jaar)
WHERE t.vorm = 'formeel'
UNION ALL
SELECT t.jaar, t.bron_bestand, t.regelnummer, t.persoon_id, t.loonheffingennummer, t.ikv_id,
       t.tijdvak_begin, t.vorm, t.inleen_soort, d.sector, t.overheidssector, t.werkgever_regio,
       t.uren_venster, d.aandeel, s.voorlopig
FROM werk.telbare_uren AS t
JOIN meting.verdeelsleutel AS s USING (jaar)
CROSS JOIN LATERAL (VALUES ('markt', CAST(s.aandeel_markt AS DECIMAL(10, 9))),
                           ('overheid', CAST(s.aandeel_overheid AS DECIMAL(10, 9)))) AS d(sector, aandeel)
WHERE t.vorm = 'inleen';
