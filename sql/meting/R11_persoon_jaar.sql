-- step: werk.persoon_jaar
-- rule: R11 — Per measured year and working person: counted hours per cel, hours without R4
-- reads: werk.telbare_uren, werk.venster_uren, werk.werkgever_peildatum, ref.caa_vorm, werk.meetjaren
--
-- The person-level quantities of METHOD §5, per year of the run, from the tables the per-record
-- steps already wrote (no second pass over the polis: werk.venster_uren holds R1–R3 of every kept
-- payroll record, and ingestion keeps the window records of every person in the register):
-- - uren_<cel>: the counted hours (R1–R6, werk.telbare_uren) per cel formeel_markt,
--   formeel_overheid and inleen (inleen NOT split by the verdeelsleutel); b_Y(p, cel) is
--   uren_<cel> / the R8 divisor. werkt: their sum > 0 (as R10).
-- (Registration on 31 December is werk.register_jaar, sql/meting/R11_register_jaar.sql.)
-- One row per person with window records (counted or not) in the year.
-- - ongeteld_<cel>: the hours of the window that R1–R3 and R5 (vorm not excluded; macro
--   vorm_regel_past, first match) give WITHOUT R4, minus the counted hours: what the person held
--   uncounted, in the cel R6 would give them (macro is_overheid). werkt_zonder_r4: the hours without R4 sum > 0
--   (METHOD werkte_ongeteld_X). The R5 rule is resolved once per attribute combination.
-- - geteld: the person has counted hours ≠ 0 in some cel (takes part in the flows of R11).
-- Hours stay exact decimals (DECIMAL(18,10), 10 decimals as werk.venster_uren): the flows of R11
-- reconcile exactly. The per-person results are stacked and grouped once, not joined.
DELETE FROM werk.persoon_jaar WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.persoon_jaar
WITH geteld AS (
    SELECT jaar, persoon_id,
           sum(uren_venster) FILTER (WHERE vorm = 'formeel' AND sector = 'markt') AS fm,
           sum(uren_venster) FILTER (WHERE vorm = 'formeel' AND sector = 'overheid') AS fo,
           sum(uren_venster) FILTER (WHERE vorm = 'inleen') AS inl
    FROM werk.telbare_uren
    WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY jaar, persoon_id
),
zonder_r4_ruw AS MATERIALIZED (
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
           sum(z.uren) FILTER (WHERE v.vorm = 'formeel' AND NOT z.overheid) AS z_fm,
           sum(z.uren) FILTER (WHERE v.vorm = 'formeel' AND z.overheid) AS z_fo,
           sum(z.uren) FILTER (WHERE v.vorm = 'inleen') AS z_inl
    FROM zonder_r4_ruw AS z
    JOIN vorm AS v
      ON v.code_aard_arbeidsverhouding IS NOT DISTINCT FROM z.code_aard_arbeidsverhouding
     AND v.sector_risicogroep IS NOT DISTINCT FROM z.sector_risicogroep
     AND v.sw_bedrijf IS NOT DISTINCT FROM z.sw_bedrijf
    WHERE v.vorm <> 'uitgesloten'
    GROUP BY z.jaar, z.persoon_id
),
-- the two per-person results stacked and grouped once (cheaper than joining them)
alles AS (
    SELECT jaar, persoon_id, fm, fo, inl, NULL AS z_fm, NULL AS z_fo, NULL AS z_inl FROM geteld
    UNION ALL
    SELECT jaar, persoon_id, NULL, NULL, NULL, z_fm, z_fo, z_inl FROM zonder_r4
),
per_persoon AS (
    SELECT jaar, persoon_id,
           coalesce(sum(fm), 0) AS fm, coalesce(sum(fo), 0) AS fo, coalesce(sum(inl), 0) AS inl,
           coalesce(sum(z_fm), 0) AS z_fm, coalesce(sum(z_fo), 0) AS z_fo, coalesce(sum(z_inl), 0) AS z_inl
    FROM alles
    GROUP BY jaar, persoon_id
)
SELECT
    jaar, persoon_id,
    CAST(fm AS DECIMAL(18, 10)) AS uren_formeel_markt, CAST(fo AS DECIMAL(18, 10)) AS uren_formeel_overheid,
    CAST(inl AS DECIMAL(18, 10)) AS uren_inleen,
    fm + fo + inl > 0 AS werkt,
    CAST(z_fm - fm AS DECIMAL(18, 10)) AS ongeteld_formeel_markt,
    CAST(z_fo - fo AS DECIMAL(18, 10)) AS ongeteld_formeel_overheid,
    CAST(z_inl - inl AS DECIMAL(18, 10)) AS ongeteld_inleen,
    z_fm + z_fo + z_inl > 0 AS werkt_zonder_r4,
    fm <> 0 OR fo <> 0 OR inl <> 0 AS geteld
FROM per_persoon;
