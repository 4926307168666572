-- step: werk.register_jaar
-- rule: R11 — Per measured year the persons registered on 31 December, with their grondslag
-- reads: staging.doelgroepregister, ref.grondslag, ref.regeling_grondslag, werk.meetjaren
--
-- geregistreerd_Y of METHOD §5: a counting registration (macro telbare_registratie: under the
-- regime of the year, R14; one-day registrations ignored) valid on venster_einde (31 December; macro overlapt), exactly the persons
-- R10 counts as doelgroep_omvang. grondslag: of several such registrations the first in the order of
-- data/reference/grondslag.csv (R12, R13). Used by R11 (geregistreerd_X, geregistreerd_Y), R12 and R13.
DELETE FROM werk.register_jaar WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.register_jaar
SELECT m.jaar, r.persoon_id, arg_min(r.grondslag, g.volgorde) AS grondslag
FROM staging.doelgroepregister AS r
JOIN werk.meetjaren AS m ON overlapt(r.datum_ingang, r.datum_einde, m.venster_einde, m.venster_einde)
JOIN (SELECT grondslag AS code, row_number() OVER () AS volgorde FROM ref.grondslag) AS g ON g.code = r.grondslag
WHERE telbare_registratie(m.jaar, r.grondslag, r.datum_ingang, r.datum_einde)
GROUP BY m.jaar, r.persoon_id;
