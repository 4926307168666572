-- Analyst views of the published warehouse besides tabel1.

-- Realisation of the target per sector, rounded for presentation.
CREATE OR REPLACE VIEW meting.realisatie_afgerond AS
SELECT
    jaar, sector,
    CAST(round(extra_banen) AS BIGINT) AS extra_banen,
    CAST(doelstelling AS BIGINT) AS doelstelling,
    CAST(round(verschil) AS BIGINT) AS verschil,
    round(realisatie_pct, 1) AS realisatie_pct,
    voorlopig
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
    p.voorlopig
FROM meting.personen AS p
JOIN banen AS b USING (jaar)
ORDER BY p.jaar;

-- Counts per rule per file of the quarantine (what was rejected and why).
CREATE OR REPLACE VIEW kwaliteit.samenvatting AS
SELECT bron_bestand, regel, kolom, count(*) AS rijen
FROM kwaliteit.quarantaine
GROUP BY ALL
ORDER BY bron_bestand, regel, kolom;
