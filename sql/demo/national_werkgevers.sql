-- National-size synthetic delivery (pipeline/demo/national.py) — extract `werkgevers` (docs/EXTRACTS.md §2).
--
-- Run once per generation, in a scratch DuckDB database, before the other sql/demo files.
-- Everything is set-based: one row per employer comes from range($n_werkgevers); every random
-- choice is a seeded hash, toeval(seed, key, salt) ∈ [0, 1), so a seed gives the same delivery.
--
-- Employers (≈ 400 k × scale):
--   ~5 %   government: overheidswerkgever, sector_risicogroep 61–66, an overheidssector; ~20 % of
--          them have uren_sectorfonds_aandeel ≥ 0.5 (some exactly 0.50) and so count as markt (R6)
--   ~1 %   uitzendbureaus (sector_risicogroep 52)
--   ~0.1 % SW-bedrijven (sw_bedrijf)
--   the rest market employers (sector 1–60 without 52; ~0.2 % in 61–66 but not overheidswerkgever)
--   Employers 0–3 are always sw, uitzend, overheid, overheid-under-a-sectorfonds, so that every kind
--   exists at any scale.
-- Versions: every employer has a first version starting 1990–2009 (so it exists in the nulmeting
-- year); ~0.5 % are new, their only version starts in year $jaar (R6: earliest version starting in
-- Y applies). ~10 % get a second version: on 1 January of Y (the old version still applies in Y),
-- on 1 January of a year 2013..Y−1 (the new one applies), or on a day inside Y (the old one applies).
-- The second version flips a government employer across the 0.5 sectorfonds threshold, turns ~30 %
-- of the changing market employers into government employers, and may move the region.
-- sector_risicogroep 52 and sw_bedrijf never change between versions.
-- Parameters: $seed, $jaar, $n_werkgevers, $lhn_factor, $lhn_offset.

-- Seeded uniform pseudo-random number in [0, 1) for an integer key and a salt (a short text naming
-- the draw). The key is XOR-ed with hash(seed, salt) and hashed on its own: DuckDB's multi-argument
-- hash(seed, key, salt) combines weakly, so draws with different salts would be correlated.
CREATE OR REPLACE MACRO toeval(seed, sleutel, zout) AS
    hash(xor(CAST(sleutel AS UBIGINT), hash(seed, zout))) / 18446744073709551616.0;

CREATE OR REPLACE TABLE werkgever AS
WITH basis AS (
    SELECT
        range AS w,
        toeval($seed, range, 'soort') AS u_soort,
        toeval($seed, range, 'sector') AS u_sector,
        toeval($seed, range, 'aandeel') AS u_aandeel,
        toeval($seed, range, 'regio') AS u_regio,
        toeval($seed, range, 'start') AS u_start,
        toeval($seed, range, 'versie') AS u_versie,
        toeval($seed, range, 'wissel') AS u_wissel,
        toeval($seed, range, 'wisseldag') AS u_wisseldag,
        toeval($seed, range, 'wijziging') AS u_wijziging
    FROM range($n_werkgevers)
),
soort AS (
    SELECT
        *,
        CASE
            WHEN w = 0 THEN 'sw'
            WHEN w = 1 THEN 'uitzend'
            WHEN w IN (2, 3) THEN 'overheid'
            WHEN u_soort < 0.05 THEN 'overheid'
            WHEN u_soort < 0.06 THEN 'uitzend'
            WHEN u_soort < 0.061 THEN 'sw'
            ELSE 'markt'
        END AS soort
    FROM basis
),
versie1 AS (
    SELECT
        *,
        -- 9 unique digits (a permutation of 0..899,999,999), then 'L' and a two-digit subnumber
        lpad(CAST(100000000 + (w * $lhn_factor + $lhn_offset) % 900000000 AS VARCHAR), 9, '0')
            || 'L' || lpad(CAST(1 + CAST(floor(u_regio * 1000) AS BIGINT) % 3 AS VARCHAR), 2, '0')
            AS loonheffingennummer,
        CASE soort
            WHEN 'overheid' THEN 61 + CAST(floor(u_sector * 6) AS INTEGER)
            WHEN 'uitzend' THEN 52
            WHEN 'sw' THEN 44
            ELSE CASE WHEN u_sector < 0.002 THEN 61 + CAST(floor(u_sector * 3000) AS INTEGER)   -- 61–66, no government
                      ELSE 1 + CAST(floor(u_sector * 59) AS INTEGER) + (floor(u_sector * 59) >= 51)::INTEGER
                 END
        END AS sector_risicogroep,
        soort = 'overheid' AS overheidswerkgever,
        CASE
            WHEN w = 3 THEN 0.50
            WHEN soort = 'overheid' AND u_aandeel < 0.8 THEN round(u_aandeel / 0.8 * 0.45, 2)
            WHEN soort = 'overheid' THEN 0.50 + round((u_aandeel - 0.8) / 0.2 * 0.5, 2)
            ELSE round(u_aandeel, 2)
        END AS aandeel,
        CASE WHEN soort = 'overheid' THEN
            ['Rijk', 'Gemeenten', 'Provincies', 'Waterschappen', 'Primair onderwijs', 'Voortgezet onderwijs',
             'MBO', 'HBO', 'WO', 'UMC', 'Defensie', 'Politie', 'Rechterlijke macht', 'Overig']
            [1 + CAST(floor(u_sector * 6 * 14) AS INTEGER) % 14]
        END AS overheidssector,
        soort = 'sw' AS sw_bedrijf,
        'AMR' || lpad(CAST(1 + CAST(floor(u_regio * 35) AS INTEGER) AS VARCHAR), 2, '0') AS arbeidsmarktregio,
        CASE WHEN w >= 4 AND u_start < 0.005
             THEN make_date($jaar, 2, 1) + CAST(floor(u_start / 0.005 * 150) AS INTEGER)   -- new in Y
             ELSE DATE '1990-01-01' + CAST(floor(u_start * 7305) AS INTEGER)
        END AS geldig_vanaf
    FROM soort
)
SELECT
    w, soort, loonheffingennummer, 'Werkgever ' || w AS naam,
    geldig_vanaf, sector_risicogroep, overheidswerkgever, CAST(aandeel AS DECIMAL(3, 2)) AS aandeel,
    overheidssector, sw_bedrijf, arbeidsmarktregio,
    -- second version (NULL when none)
    CASE WHEN year(geldig_vanaf) < $jaar AND u_versie < 0.10 THEN
        CASE
            WHEN u_wissel < 0.4 THEN make_date($jaar, 1, 1)
            WHEN u_wissel < 0.7 THEN make_date(2013 + CAST(floor(u_wisseldag * ($jaar - 2013)) AS INTEGER), 1, 1)
            ELSE make_date($jaar, 1, 2) + CAST(floor(u_wisseldag * 300) AS INTEGER)
        END
    END AS v2_geldig_vanaf,
    CASE WHEN soort = 'markt' AND u_wijziging < 0.3 THEN 61 + CAST(floor(u_wijziging * 20) AS INTEGER)
         ELSE sector_risicogroep END AS v2_sector_risicogroep,
    overheidswerkgever OR (soort = 'markt' AND u_wijziging < 0.3) AS v2_overheidswerkgever,
    CAST(CASE
        WHEN soort = 'overheid' AND aandeel < 0.5 THEN 0.5 + round(u_wijziging * 0.5, 2)
        WHEN soort = 'overheid' THEN round(u_wijziging * 0.49, 2)
        WHEN soort = 'markt' AND u_wijziging < 0.3 THEN round(u_wijziging, 2)
        ELSE round(1 - u_wijziging, 2)
    END AS DECIMAL(3, 2)) AS v2_aandeel,
    CASE
        WHEN soort = 'overheid' THEN overheidssector
        WHEN soort = 'markt' AND u_wijziging < 0.3 THEN ['Gemeenten', 'Rijk', 'Overig'][1 + CAST(floor(u_wijziging * 10) AS INTEGER)]
    END AS v2_overheidssector,
    CASE WHEN u_wijziging < 0.5 THEN arbeidsmarktregio
         ELSE 'AMR' || lpad(CAST(1 + CAST(floor(u_wijziging * 70) AS INTEGER) % 35 AS VARCHAR), 2, '0')
    END AS v2_arbeidsmarktregio
FROM versie1
ORDER BY w;

-- The extract: one row per register version, columns exactly as docs/EXTRACTS.md §2.
CREATE OR REPLACE MACRO werkgevers_extract() AS TABLE
SELECT loonheffingennummer, naam, geldig_vanaf, geldig_tot, sector_risicogroep, overheidswerkgever,
       uren_sectorfonds_aandeel, overheidssector, sw_bedrijf, arbeidsmarktregio
FROM (
    SELECT w, 1 AS versie, loonheffingennummer, naam, geldig_vanaf,
           CAST(v2_geldig_vanaf - 1 AS DATE) AS geldig_tot, sector_risicogroep, overheidswerkgever,
           aandeel AS uren_sectorfonds_aandeel, overheidssector, sw_bedrijf, arbeidsmarktregio
    FROM werkgever
    UNION ALL
    SELECT w, 2, loonheffingennummer, naam, v2_geldig_vanaf, CAST(NULL AS DATE), v2_sector_risicogroep,
           v2_overheidswerkgever, v2_aandeel, v2_overheidssector, sw_bedrijf, v2_arbeidsmarktregio
    FROM werkgever
    WHERE v2_geldig_vanaf IS NOT NULL
)
ORDER BY w, versie;

-- The same rows as the source systems write CSV: text, decimal comma, J/N, empty = null.
CREATE OR REPLACE MACRO werkgevers_csv(bestand) AS TABLE
SELECT
    loonheffingennummer, naam,
    strftime(geldig_vanaf, '%Y-%m-%d') AS geldig_vanaf,
    strftime(geldig_tot, '%Y-%m-%d') AS geldig_tot,
    CAST(sector_risicogroep AS VARCHAR) AS sector_risicogroep,
    CASE WHEN overheidswerkgever THEN 'J' ELSE 'N' END AS overheidswerkgever,
    replace(CAST(uren_sectorfonds_aandeel AS VARCHAR), '.', ',') AS uren_sectorfonds_aandeel,
    overheidssector,
    CASE WHEN sw_bedrijf THEN 'J' ELSE 'N' END AS sw_bedrijf,
    arbeidsmarktregio
FROM read_parquet(bestand);
