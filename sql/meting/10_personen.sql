-- METHOD R10 — Persons.
-- werkzame_personen(Y): distinct persons with counted hours > 0 in the window after R4–R5
-- (formal or inleen; excluded jobs do not count). doelgroep_omvang(Y): distinct persons with a
-- counting registration valid on $venster_einde (31 December of Y); one-day registrations ignored
-- as in R4. Persons are counted by grouping, not count(DISTINCT) (STACK.md: faster at scale).
-- Parameters: $jaar, $venster_einde.
DELETE FROM meting.personen WHERE jaar = $jaar;

INSERT INTO meting.personen
SELECT
    $jaar AS jaar,
    (SELECT count(*) FROM (
        SELECT persoon_id FROM werk.telbare_uren WHERE jaar = $jaar
        GROUP BY persoon_id HAVING sum(uren_venster) > 0
    )) AS werkzame_personen,
    (SELECT count(*) FROM (
        SELECT r.persoon_id
        FROM staging.doelgroepregister AS r
        JOIN ref.grondslag AS g ON g.grondslag = r.grondslag AND g.telt_mee
        WHERE r.datum_ingang <= $venster_einde
          AND coalesce(r.datum_einde, DATE '9999-12-31') >= $venster_einde
          AND (r.datum_einde IS NULL OR r.datum_einde > r.datum_ingang)
        GROUP BY r.persoon_id
    )) AS doelgroep_omvang,
    (SELECT voorlopig FROM werk.verdeelsleutel WHERE jaar = $jaar) AS voorlopig;
