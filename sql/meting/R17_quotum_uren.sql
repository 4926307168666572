-- step: werk.quotum_uren
-- rule: R17 (C, own payroll) — Hours of the doelgroep for the quotum (Wfsv art. 38g; Besluit Wfsv art. 2.24)
-- reads: staging.polis, staging.doelgroepregister, werk.werkgever_peildatum, ref.parameters, ref.quotum_grondslag, ref.quotum_caa, werk.meetjaren
--
-- Per year Y, employer and person: the hours of the WHOLE year Y (every payroll period beginning in
-- Y) of the final versions (R1; cut-off 1 May of Y+1, afsluitdatum_maand_dag, the same cut-off as
-- A in R15) of persons who, by R4's whole-period rule (macro overlapt), have a registration that
-- counts for the quotum (macro quotum_registratie: the counting grondslagen plus VOORZIENING, not a
-- one-day registration) overlapping the period; only CAA codes that count in C at this employer
-- (macro quotum_telt('C', …): not CAA 21/24; at an SW-bedrijf only CAA 22). The polis ingestion
-- keeps every accepted row of a registered person for this (sql/ingest/polis.sql).
DELETE FROM werk.quotum_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.quotum_uren
WITH afsluiting AS (
    SELECT m.jaar, maand_dag(m.jaar + 1, p.waarde) AS afsluitdatum
    FROM werk.meetjaren AS m CROSS JOIN ref.parameters AS p
    WHERE p.naam = 'afsluitdatum_maand_dag'
),
finaal AS (
    SELECT a.jaar, p.persoon_id, p.loonheffingennummer, p.tijdvak_begin, p.tijdvak_einde,
           p.verloonde_uren, p.code_aard_arbeidsverhouding
    FROM staging.polis AS p
    JOIN afsluiting AS a ON a.jaar = year(p.tijdvak_begin)
    WHERE p.aanleverdatum <= a.afsluitdatum
    QUALIFY row_number() OVER (
        PARTITION BY p.loonheffingennummer, p.ikv_id, p.tijdvak_begin
        ORDER BY p.aanleverdatum DESC, p.volgnummer DESC
    ) = 1
),
doelgroep AS (
    SELECT f.*
    FROM finaal AS f
    WHERE EXISTS (
        SELECT 1 FROM staging.doelgroepregister AS r
        WHERE r.persoon_id = f.persoon_id
          AND quotum_registratie(r.grondslag, r.datum_ingang, r.datum_einde)
          AND overlapt(r.datum_ingang, r.datum_einde, f.tijdvak_begin, f.tijdvak_einde)
    )
),
per_caa AS (
    SELECT jaar, loonheffingennummer, persoon_id, code_aard_arbeidsverhouding,
           sum(verloonde_uren) AS uren, count(*) AS tijdvakken
    FROM doelgroep GROUP BY ALL
)
SELECT c.jaar, c.loonheffingennummer, c.persoon_id, sum(c.uren) AS uren, sum(c.tijdvakken) AS tijdvakken
FROM per_caa AS c
LEFT JOIN werk.werkgever_peildatum AS v USING (jaar, loonheffingennummer)
WHERE quotum_telt('C', c.code_aard_arbeidsverhouding, v.sector_risicogroep, v.sw_bedrijf)
GROUP BY c.jaar, c.loonheffingennummer, c.persoon_id;
