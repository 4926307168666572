-- step: werk.stromen_personen
-- rule: R11 — Flows between two measurements: every person in exactly one category, per cel
-- reads: werk.persoon_jaar, werk.register_jaar, werk.meetjaren
--
-- For every measured year Y of the run and its base years X — the previous measured year OF THE
-- RUN and the nulmeting (one base year when they coincide) — every person with counted hours ≠ 0
-- in a cel in X or in Y (werk.persoon_jaar; registration: werk.register_jaar) gets one category,
-- the first that matches (METHOD R11):
--   blijver                      werkt_X ∧ werkt_Y
--   nieuw_werk                   werkt_Y ∧ geregistreerd_X
--   registratie_effect           werkt_Y ∧ werkte_ongeteld_X (werk.persoon_jaar.werkt_zonder_r4)
--   nieuw_geregistreerd_en_werk  werkt_Y
--   werk_verloren                werkt_X ∧ geregistreerd_Y
--   uit_register                 werkt_X
--   saldo_overig                 anything else (net hours ≤ 0 in both years)
-- One row per (jaar, basisjaar, person, cel) with hours ≠ 0 in X or Y (for registratie_effect also
-- a cel with only uncounted base-year hours). The contribution is b_Y − b_X in every category:
-- where METHOD writes +b_Y or −b_X the other side is 0, except for a person whose counted hours
-- of that year net to ≤ 0 (e.g. a reversal), whose remainder is kept so that the contributions of
-- all persons sum exactly to ΔB of every cel. Hours are exact DECIMALs (bijdrage_uren); banen are
-- hours / the R8 divisor (macro uren_per_baan_in_venster; the window, and so the divisor, is the
-- same in every year). uren_ongeteld_basisjaar (registratie_effect only): the hours the person
-- held in X without counting (R1–R3, R5, without R4); werkt_ongeteld_jaar (uit_register only):
-- whether the person still works, uncounted, in Y.
DELETE FROM werk.stromen_personen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.stromen_personen
WITH paren AS (
    SELECT DISTINCT jaar, basisjaar FROM (
        SELECT jaar, lag(jaar) OVER (ORDER BY jaar) AS basisjaar FROM werk.meetjaren
        UNION ALL
        SELECT jaar, nulmeting_jaar FROM werk.meetjaren
    )
    WHERE basisjaar < jaar
),
-- the persons of each pair: counted hours ≠ 0 in a cel in X or in Y
aktief AS (
    SELECT p.jaar, p.basisjaar, j.persoon_id
    FROM paren AS p JOIN werk.persoon_jaar AS j ON j.jaar = p.jaar WHERE j.geteld
    UNION
    SELECT p.jaar, p.basisjaar, j.persoon_id
    FROM paren AS p JOIN werk.persoon_jaar AS j ON j.jaar = p.basisjaar WHERE j.geteld
),
personen AS (
    SELECT
        a.jaar, a.basisjaar, a.persoon_id,
        coalesce(x.werkt, false) AS werkt_x, coalesce(y.werkt, false) AS werkt_y,
        rx.persoon_id IS NOT NULL AS geregistreerd_x, ry.persoon_id IS NOT NULL AS geregistreerd_y,
        coalesce(x.werkt_zonder_r4, false) AS werkt_zonder_r4_x, coalesce(y.werkt_zonder_r4, false) AS werkt_zonder_r4_y,
        coalesce(x.uren_formeel_markt, 0) AS x_fm, coalesce(x.uren_formeel_overheid, 0) AS x_fo,
        coalesce(x.uren_inleen, 0) AS x_inl,
        coalesce(y.uren_formeel_markt, 0) AS y_fm, coalesce(y.uren_formeel_overheid, 0) AS y_fo,
        coalesce(y.uren_inleen, 0) AS y_inl,
        coalesce(x.ongeteld_formeel_markt, 0) AS o_fm, coalesce(x.ongeteld_formeel_overheid, 0) AS o_fo,
        coalesce(x.ongeteld_inleen, 0) AS o_inl
    FROM aktief AS a
    LEFT JOIN werk.persoon_jaar AS x ON x.jaar = a.basisjaar AND x.persoon_id = a.persoon_id
    LEFT JOIN werk.persoon_jaar AS y ON y.jaar = a.jaar AND y.persoon_id = a.persoon_id
    LEFT JOIN werk.register_jaar AS rx ON rx.jaar = a.basisjaar AND rx.persoon_id = a.persoon_id
    LEFT JOIN werk.register_jaar AS ry ON ry.jaar = a.jaar AND ry.persoon_id = a.persoon_id
),
ingedeeld AS (
    SELECT
        *,
        CASE
            WHEN werkt_x AND werkt_y THEN 'blijver'
            WHEN werkt_y AND geregistreerd_x THEN 'nieuw_werk'
            WHEN werkt_y AND werkt_zonder_r4_x THEN 'registratie_effect'
            WHEN werkt_y THEN 'nieuw_geregistreerd_en_werk'
            WHEN werkt_x AND geregistreerd_y THEN 'werk_verloren'
            WHEN werkt_x THEN 'uit_register'
            ELSE 'saldo_overig'
        END AS categorie
    FROM personen
),
cellen AS (
    SELECT
        i.jaar, i.basisjaar, i.persoon_id, i.categorie, i.werkt_zonder_r4_y, c.cel,
        CASE c.cel WHEN 'formeel_markt' THEN i.x_fm WHEN 'formeel_overheid' THEN i.x_fo ELSE i.x_inl END AS ux,
        CASE c.cel WHEN 'formeel_markt' THEN i.y_fm WHEN 'formeel_overheid' THEN i.y_fo ELSE i.y_inl END AS uy,
        CASE c.cel WHEN 'formeel_markt' THEN i.o_fm WHEN 'formeel_overheid' THEN i.o_fo ELSE i.o_inl END AS ox
    FROM ingedeeld AS i
    CROSS JOIN (VALUES ('formeel_markt'), ('formeel_overheid'), ('inleen')) AS c(cel)
)
SELECT
    c.jaar, c.basisjaar, c.persoon_id, c.categorie, c.cel,
    c.ux AS uren_basisjaar, c.uy AS uren_jaar, CAST(c.uy - c.ux AS DECIMAL(18, 10)) AS bijdrage_uren,
    CASE WHEN c.categorie = 'registratie_effect' THEN c.ox END AS uren_ongeteld_basisjaar,
    CASE WHEN c.categorie = 'uit_register' THEN c.werkt_zonder_r4_y END AS werkt_ongeteld_jaar,
    CAST(c.ux AS DOUBLE) / d.deler AS banen_basisjaar,
    CAST(c.uy AS DOUBLE) / d.deler AS banen_jaar,
    CAST(c.uy - c.ux AS DOUBLE) / d.deler AS bijdrage_banen,
    CASE WHEN c.categorie = 'registratie_effect' THEN CAST(c.ox AS DOUBLE) / d.deler END AS banen_ongeteld_basisjaar
FROM cellen AS c
JOIN (SELECT jaar, uren_per_baan_in_venster(uren_per_baan_per_week, venster_begin, venster_einde) AS deler
      FROM werk.meetjaren) AS d USING (jaar)
WHERE c.ux <> 0 OR c.uy <> 0 OR (c.categorie = 'registratie_effect' AND c.ox <> 0);
