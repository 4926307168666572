-- step: werk.werkgever_totalen
-- rule: R15 — Employer totals (Besluit Wfsv art. 2.20, 2.27, 2.33)
-- reads: ingest.werkgever_uren, ingest.werkgever_personen, werk.werkgever_peildatum, ref.quotum_caa, werk.meetjaren
--
-- Per loonheffingennummer and year Y of the run: uren_totaal (A) = the whole-year hours of the
-- final versions (R1, cut-off 1 May of Y+1) of ALL persons, from the polis pass itself
-- (ingest.werkgever_uren, sql/ingest/polis.sql + sql/ingest/werkgever_uren.sql: no second scan),
-- leaving out what macro quotum_telt('A', …) excludes (ref.quotum_caa: an uitlener's CAA 11 and
-- 82, an SW-bedrijf's CAA 21, 22 and 23); the same for Y−1 (uren_totaal_vorig_jaar, NULL = no
-- payroll data of Y−1); the persons with hours in the window of Y; and the employer's sector (R6,
-- macro is_overheid). The employer attributes are those of its register version that applies in
-- Y (R6, werk.werkgever_peildatum), also for the hours of Y−1.
DELETE FROM werk.werkgever_totalen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.werkgever_totalen
WITH werkgevers AS (
    SELECT u.jaar, u.loonheffingennummer
    FROM ingest.werkgever_uren AS u WHERE u.jaar IN (SELECT jaar FROM werk.meetjaren)
    UNION
    SELECT p.jaar, p.loonheffingennummer
    FROM ingest.werkgever_personen AS p WHERE p.jaar IN (SELECT jaar FROM werk.meetjaren)
),
per_caa AS (                    -- few rows: one per employer, year (Y or Y−1) and CAA
    SELECT w.jaar, w.loonheffingennummer, u.jaar AS uren_van_jaar, u.uren_jaar,
           quotum_telt('A', u.code_aard_arbeidsverhouding, v.sector_risicogroep, v.sw_bedrijf) AS telt
    FROM werkgevers AS w
    LEFT JOIN werk.werkgever_peildatum AS v USING (jaar, loonheffingennummer)
    JOIN ingest.werkgever_uren AS u
      ON u.loonheffingennummer = w.loonheffingennummer AND (u.jaar = w.jaar OR u.jaar = w.jaar - 1)
)
SELECT
    w.jaar, w.loonheffingennummer,
    CASE WHEN any_value(v.loonheffingennummer) IS NULL THEN NULL
         WHEN is_overheid(any_value(v.overheidswerkgever), any_value(v.uren_sectorfonds_aandeel),
                          any_value(m.sectorfonds_drempel)) THEN 'overheid'
         ELSE 'markt' END AS sector,
    any_value(v.sector_risicogroep), any_value(v.sw_bedrijf),
    coalesce(sum(c.uren_jaar) FILTER (WHERE c.uren_van_jaar = w.jaar AND c.telt), 0) AS uren_totaal,
    coalesce(sum(c.uren_jaar) FILTER (WHERE c.uren_van_jaar = w.jaar AND NOT c.telt), 0) AS uren_uitgesloten,
    -- NULL when the employer has no payroll in Y−1 at all ("no data counts as below", R17)
    CASE WHEN count(c.uren_van_jaar) FILTER (WHERE c.uren_van_jaar = w.jaar - 1) > 0
         THEN coalesce(sum(c.uren_jaar) FILTER (WHERE c.uren_van_jaar = w.jaar - 1 AND c.telt), 0)
    END AS uren_totaal_vorig_jaar,
    coalesce(any_value(p.personen_venster), 0) AS personen_venster
FROM werkgevers AS w
JOIN werk.meetjaren AS m USING (jaar)
LEFT JOIN werk.werkgever_peildatum AS v USING (jaar, loonheffingennummer)
LEFT JOIN per_caa AS c USING (jaar, loonheffingennummer)
LEFT JOIN ingest.werkgever_personen AS p USING (jaar, loonheffingennummer)
GROUP BY w.jaar, w.loonheffingennummer;
