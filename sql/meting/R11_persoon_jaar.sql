-- step: werk.persoon_jaar
-- rule: R11 — Per measured year and person: counted hours per cel, work, registration, hours without R4
-- reads: werk.telbare_uren, werk.venster_uren, werk.werkgever_peildatum, ref.caa_vorm, staging.doelgroepregister, ref.grondslag, werk.meetjaren
--
-- The person-level quantities of METHOD §5, per year of the run, from the tables the per-record
-- steps already wrote (no second pass over the polis: werk.venster_uren holds R1–R3 of every kept
-- payroll record, and ingestion keeps the window records of every person in the register):
-- - uren_<cel>: the counted hours (R1–R6, werk.telbare_uren) per cel formeel_markt,
--   formeel_overheid and inleen (inleen NOT split by the verdeelsleutel); b_Y(p, cel) is
--   uren_<cel> / the R8 divisor. werkt: their sum > 0 (as R10).
-- - werkgevers: the loonheffingennummers at which the person has counted hours > 0 (R12).
-- - geregistreerd: a counting registration (macro telbare_registratie) valid on venster_einde
--   (31 December), as R10's doelgroep_omvang; grondslag: the first of those in the order of
--   data/reference/grondslag.csv (R12, R13).
-- - ongeteld_<cel>: the hours of the window that R1–R3 and R5 (vorm not excluded; macro
--   vorm_regel_past, first match) give WITHOUT R4, minus the counted hours: what the person held
--   uncounted, in the cel R6 would give them (macro is_overheid). werkt_zonder_r4: the hours without R4 sum > 0
--   (METHOD werkte_ongeteld_X). The R5 rule is resolved once per attribute combination.
-- Hours stay exact DECIMAL(38,10): the flows of R11 reconcile exactly.
DELETE FROM werk.persoon_jaar WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.persoon_jaar
WITH per_werkgever AS (
    SELECT jaar, persoon_id, loonheffingennummer,
           coalesce(sum(uren_venster) FILTER (WHERE vorm = 'formeel' AND sector = 'markt'), 0) AS fm,
           coalesce(sum(uren_venster) FILTER (WHERE vorm = 'formeel' AND sector = 'overheid'), 0) AS fo,
           coalesce(sum(uren_venster) FILTER (WHERE vorm = 'inleen'), 0) AS inl
    FROM werk.telbare_uren
    WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY jaar, persoon_id, loonheffingennummer
),
geteld AS (
    SELECT jaar, persoon_id, sum(fm) AS fm, sum(fo) AS fo, sum(inl) AS inl,
           list(loonheffingennummer ORDER BY loonheffingennummer) FILTER (WHERE fm + fo + inl > 0) AS werkgevers
    FROM per_werkgever
    GROUP BY jaar, persoon_id
),
zonder_r4_ruw AS (
    SELECT v.jaar, v.persoon_id, v.code_aard_arbeidsverhouding, w.sector_risicogroep, w.sw_bedrijf,
           coalesce(is_overheid(w.overheidswerkgever, w.uren_sectorfonds_aandeel, m.sectorfonds_drempel), false)
               AS overheid,
           sum(v.uren_venster) AS uren
    FROM werk.venster_uren AS v
    JOIN werk.meetjaren AS m ON m.jaar = v.jaar
    JOIN werk.werkgever_peildatum AS w ON w.jaar = v.jaar AND w.loonheffingennummer = v.loonheffingennummer
    GROUP BY ALL
),
vorm AS (
    SELECT c.code_aard_arbeidsverhouding, c.sector_risicogroep, c.sw_bedrijf, r.vorm
    FROM (SELECT DISTINCT code_aard_arbeidsverhouding, sector_risicogroep, sw_bedrijf FROM zonder_r4_ruw) AS c
    JOIN ref.caa_vorm AS r
      ON vorm_regel_past(r.code_aard_arbeidsverhouding, r.sector_risicogroep, r.sw_bedrijf,
                         c.code_aard_arbeidsverhouding, c.sector_risicogroep, c.sw_bedrijf)
    QUALIFY row_number() OVER (
        PARTITION BY c.code_aard_arbeidsverhouding, c.sector_risicogroep, c.sw_bedrijf ORDER BY r.volgorde) = 1
),
zonder_r4 AS (
    SELECT z.jaar, z.persoon_id,
           coalesce(sum(z.uren) FILTER (WHERE v.vorm = 'formeel' AND NOT z.overheid), 0) AS fm,
           coalesce(sum(z.uren) FILTER (WHERE v.vorm = 'formeel' AND z.overheid), 0) AS fo,
           coalesce(sum(z.uren) FILTER (WHERE v.vorm = 'inleen'), 0) AS inl
    FROM zonder_r4_ruw AS z
    JOIN vorm AS v
      ON v.code_aard_arbeidsverhouding IS NOT DISTINCT FROM z.code_aard_arbeidsverhouding
     AND v.sector_risicogroep IS NOT DISTINCT FROM z.sector_risicogroep
     AND v.sw_bedrijf IS NOT DISTINCT FROM z.sw_bedrijf
    WHERE v.vorm <> 'uitgesloten'
    GROUP BY z.jaar, z.persoon_id
),
registratie AS (
    SELECT m.jaar, r.persoon_id, arg_min(r.grondslag, g.volgorde) AS grondslag
    FROM staging.doelgroepregister AS r
    JOIN werk.meetjaren AS m ON overlapt(r.datum_ingang, r.datum_einde, m.venster_einde, m.venster_einde)
    JOIN (SELECT grondslag AS code, row_number() OVER () AS volgorde FROM ref.grondslag) AS g ON g.code = r.grondslag
    WHERE telbare_registratie(r.grondslag, r.datum_ingang, r.datum_einde)
    GROUP BY m.jaar, r.persoon_id
),
sleutels AS (
    SELECT jaar, persoon_id FROM geteld
    UNION SELECT jaar, persoon_id FROM zonder_r4
    UNION SELECT jaar, persoon_id FROM registratie
)
SELECT
    k.jaar, k.persoon_id,
    coalesce(g.fm, 0) AS uren_formeel_markt,
    coalesce(g.fo, 0) AS uren_formeel_overheid,
    coalesce(g.inl, 0) AS uren_inleen,
    coalesce(g.fm + g.fo + g.inl > 0, false) AS werkt,
    r.persoon_id IS NOT NULL AS geregistreerd,
    r.grondslag,
    coalesce(z.fm, 0) - coalesce(g.fm, 0) AS ongeteld_formeel_markt,
    coalesce(z.fo, 0) - coalesce(g.fo, 0) AS ongeteld_formeel_overheid,
    coalesce(z.inl, 0) - coalesce(g.inl, 0) AS ongeteld_inleen,
    coalesce(z.fm + z.fo + z.inl > 0, false) AS werkt_zonder_r4,
    coalesce(g.werkgevers, []) AS werkgevers
FROM sleutels AS k
LEFT JOIN geteld AS g USING (jaar, persoon_id)
LEFT JOIN zonder_r4 AS z USING (jaar, persoon_id)
LEFT JOIN registratie AS r USING (jaar, persoon_id);
