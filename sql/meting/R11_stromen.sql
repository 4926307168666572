-- step: meting.stromen
-- rule: R11 — Flows between two measurements, per category and cel
-- reads: werk.stromen_personen, werk.meetjaren
--
-- Per (jaar, basisjaar, categorie, cel) — every one of the 7 × 3 combinations, also when 0 — the
-- persons of the category with counted hours ≠ 0 in that cel in X or Y (a person in two cells
-- counts in both; distinct persons per category: audit.stromen_personen), and the category's
-- contribution to the change of the cel in banen: the exact DECIMAL sum of its hours, divided once
-- by the R8 divisor. Summed over the categories the banen give the change of the cel (the blocking
-- check stromen_sluiten, sql/controles/R11_stromen_sluiten.sql). banen_ongeteld_basisjaar: for
-- registratie_effect the banen those persons held uncounted in the base year; else NULL.
DELETE FROM meting.stromen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.stromen
WITH paren AS (SELECT DISTINCT jaar, basisjaar FROM werk.stromen_personen
               WHERE jaar IN (SELECT jaar FROM werk.meetjaren)),
cellen AS (
    SELECT p.jaar, p.basisjaar, k.categorie, k.volgorde, c.cel, c.celvolgorde
    FROM paren AS p
    CROSS JOIN (VALUES ('blijver', 1), ('nieuw_werk', 2), ('registratie_effect', 3),
                       ('nieuw_geregistreerd_en_werk', 4), ('werk_verloren', 5), ('uit_register', 6),
                       ('saldo_overig', 7)) AS k(categorie, volgorde)
    CROSS JOIN (VALUES ('formeel_markt', 1), ('formeel_overheid', 2), ('inleen', 3)) AS c(cel, celvolgorde)
),
som AS (
    SELECT jaar, basisjaar, categorie, cel,
           count(*) FILTER (WHERE uren_basisjaar <> 0 OR uren_jaar <> 0) AS personen,
           sum(bijdrage_uren) AS uren,
           sum(uren_ongeteld_basisjaar) AS uren_ongeteld
    FROM werk.stromen_personen
    WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY ALL
)
SELECT
    c.jaar, c.basisjaar, c.categorie, c.cel,
    coalesce(s.personen, 0) AS personen,
    CAST(coalesce(s.uren, 0) AS DOUBLE)
        / uren_per_baan_in_venster(m.uren_per_baan_per_week, m.venster_begin, m.venster_einde) AS banen,
    CASE WHEN c.categorie = 'registratie_effect' THEN CAST(coalesce(s.uren_ongeteld, 0) AS DOUBLE)
        / uren_per_baan_in_venster(m.uren_per_baan_per_week, m.venster_begin, m.venster_einde) END
        AS banen_ongeteld_basisjaar
FROM cellen AS c
JOIN werk.meetjaren AS m USING (jaar)
LEFT JOIN som AS s USING (jaar, basisjaar, categorie, cel)
ORDER BY c.jaar, c.basisjaar DESC, c.volgorde, c.celvolgorde;
