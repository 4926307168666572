-- Analyst views of the published warehouse besides tabel1.

-- Realisation of the target per sector, rounded for presentation.
CREATE OR REPLACE VIEW meting.realisatie_afgerond AS
SELECT
    jaar, sector,
    CAST(round(extra_banen) AS BIGINT) AS extra_banen,
    CAST(doelstelling AS BIGINT) AS doelstelling,
    CAST(round(verschil) AS BIGINT) AS verschil,
    round(realisatie_pct, 1) AS realisatie_pct,
    voorlopig,
    regeling
FROM meting.realisatie
ORDER BY jaar, sector;

-- Inleen banen per sector in Y and in the nulmeting, with the key applied (METHOD §4).
CREATE OR REPLACE VIEW meting.inleen AS
SELECT
    b.jaar, b.sector, s.aandeel_markt, s.aandeel_overheid, s.voorlopig AS sleutel_voorlopig,
    s.bron AS sleutel_bron, b.banen, b.banen_nulmeting, b.extra_banen
FROM meting.banen AS b
JOIN meting.verdeelsleutel AS s USING (jaar)
WHERE b.vorm = 'inleen'
ORDER BY b.jaar, b.sector;

-- Persons against banen (METHOD §4).
CREATE OR REPLACE VIEW meting.personen_banen AS
WITH banen AS (SELECT jaar, sum(banen) AS banen FROM meting.banen GROUP BY jaar)
SELECT
    p.jaar, p.werkzame_personen, p.doelgroep_omvang, b.banen,
    b.banen / nullif(p.werkzame_personen, 0) AS banen_per_persoon,
    p.voorlopig,
    p.regeling
FROM meting.personen AS p
JOIN banen AS b USING (jaar)
ORDER BY p.jaar;

-- Counts per rule per file of the quarantine (what was rejected and why).
CREATE OR REPLACE VIEW kwaliteit.samenvatting AS
SELECT bron_bestand, regel, kolom, count(*) AS rijen
FROM kwaliteit.quarantaine
GROUP BY ALL
ORDER BY bron_bestand, regel, kolom;

-- METHOD R14: per scenario cell (regeling, jaar, sector, vorm) the official figure of the file
-- (meting.banen, with the regime it was measured under), the scenario's figure and the difference
-- (scenario − official) in banen and extra_banen. A view, so it always compares with the official
-- figures the file holds now (a re-measured year moves the difference with it).
CREATE OR REPLACE VIEW scenario.verschil AS
SELECT
    s.regeling, s.jaar, s.sector, s.vorm,
    o.regeling AS regeling_officieel,
    o.banen AS banen_officieel,
    s.banen AS banen_scenario,
    s.banen - o.banen AS banen,
    o.extra_banen AS extra_banen_officieel,
    s.extra_banen AS extra_banen_scenario,
    s.extra_banen - o.extra_banen AS extra_banen
FROM scenario.banen AS s
LEFT JOIN meting.banen AS o USING (jaar, sector, vorm)
ORDER BY s.regeling, s.jaar, s.sector, s.vorm;
