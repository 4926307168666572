-- step: meting.register_stromen
-- rule: R13 — Register flows: instroom and uitstroom between two measurements
-- reads: werk.register_jaar, werk.meetjaren
--
-- For every measured year Y of the run with a previous measured year X in the run:
-- instroom = persons with geregistreerd_Y and not geregistreerd_X, by their grondslag in Y;
-- uitstroom = persons with geregistreerd_X and not geregistreerd_Y, by their grondslag in X
-- (geregistreerd and grondslag as R10 and R12: werk.register_jaar). The identity
-- doelgroep_omvang(Y) = doelgroep_omvang(X) + instroom − uitstroom is the blocking check
-- register_sluit (sql/controles/R13_register_sluit.sql).
DELETE FROM meting.register_stromen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO meting.register_stromen
WITH paren AS (
    SELECT jaar, basisjaar FROM (SELECT jaar, lag(jaar) OVER (ORDER BY jaar) AS basisjaar FROM werk.meetjaren)
    WHERE basisjaar IS NOT NULL
),
y AS (SELECT p.jaar, p.basisjaar, j.persoon_id, j.grondslag
      FROM paren AS p JOIN werk.register_jaar AS j ON j.jaar = p.jaar),
x AS (SELECT p.jaar, p.basisjaar, j.persoon_id, j.grondslag
      FROM paren AS p JOIN werk.register_jaar AS j ON j.jaar = p.basisjaar),
stroom AS (
    SELECT coalesce(y.jaar, x.jaar) AS jaar, coalesce(y.basisjaar, x.basisjaar) AS basisjaar,
           coalesce(y.grondslag, x.grondslag) AS grondslag,
           x.persoon_id IS NULL AS instroom, y.persoon_id IS NULL AS uitstroom
    FROM y FULL OUTER JOIN x ON x.jaar = y.jaar AND x.persoon_id = y.persoon_id
)
SELECT jaar, basisjaar, grondslag, count(*) FILTER (WHERE instroom) AS instroom,
       count(*) FILTER (WHERE uitstroom) AS uitstroom
FROM stroom
WHERE instroom OR uitstroom
GROUP BY jaar, basisjaar, grondslag
ORDER BY jaar, grondslag;
