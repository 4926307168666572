-- step: audit.referentiewaarden
-- rule: audit — the reference values every year of the run was measured with, each with its source
-- reads: meting.verdeelsleutel, ref.doelstelling, ref.parameters, ref.caa_vorm, ref.regeling_grondslag, ref.regeling, werk.meetjaren
DELETE FROM audit.referentiewaarden WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO audit.referentiewaarden
SELECT jaar, 'verdeelsleutel_aandeel_markt', CAST(aandeel_markt AS VARCHAR), bron
FROM meting.verdeelsleutel WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
UNION ALL
SELECT jaar, 'verdeelsleutel_aandeel_overheid', CAST(aandeel_overheid AS VARCHAR), bron
FROM meting.verdeelsleutel WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
UNION ALL
SELECT jaar, 'verdeelsleutel_voorlopig', CAST(voorlopig AS VARCHAR), bron
FROM meting.verdeelsleutel WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
UNION ALL
SELECT jaar, 'doelstelling_' || sector, CAST(doelstelling AS VARCHAR), bron
FROM ref.doelstelling WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
UNION ALL
SELECT m.jaar, p.naam, p.waarde, p.bron
FROM werk.meetjaren AS m CROSS JOIN ref.parameters AS p
WHERE p.naam IN ('uren_per_baan_per_week', 'afsluitdatum_maand_dag', 'meetperiode_begin_maand_dag',
                 'meetperiode_einde_maand_dag', 'nulmeting_jaar', 'sectorfonds_drempel')
UNION ALL
SELECT jaar, 'afsluitdatum_toegepast', CAST(afsluitdatum AS VARCHAR),
       CASE WHEN afsluitdatum_opgegeven THEN 'expliciet opgegeven bij de run'
            ELSE 'ref.parameters afsluitdatum_maand_dag' END
FROM werk.meetjaren
UNION ALL
SELECT jaar, 'meetvenster', CAST(venster_begin AS VARCHAR) || ' t/m ' || CAST(venster_einde AS VARCHAR),
       'ref.parameters meetperiode_*'
FROM werk.meetjaren
UNION ALL
SELECT m.jaar, 'caa_vorm_regel_' || c.volgorde,
       concat_ws(' ', 'caa=' || c.code_aard_arbeidsverhouding, 'risicogroep=' || c.sector_risicogroep,
                 'sw=' || c.sw_bedrijf, '->', c.vorm, c.inleen_soort), c.bron
FROM werk.meetjaren AS m CROSS JOIN ref.caa_vorm AS c
UNION ALL
SELECT m.jaar, 'grondslag_' || g.grondslag, CAST(g.telt_mee AS VARCHAR), g.bron
FROM werk.meetjaren AS m JOIN ref.regeling_grondslag AS g ON g.regeling = m.regeling
UNION ALL
SELECT m.jaar, 'regeling', m.regeling || CASE WHEN m.scenario THEN ' (scenario)' ELSE '' END, r.bron
FROM werk.meetjaren AS m JOIN ref.regeling AS r ON r.regeling = m.regeling;
