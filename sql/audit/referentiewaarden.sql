-- The reference values year $jaar was measured with, each with its source row (audit.referentiewaarden).
-- Parameters: $jaar, $afsluitdatum, $venster_begin, $venster_einde.
DELETE FROM audit.referentiewaarden WHERE jaar = $jaar;

INSERT INTO audit.referentiewaarden
SELECT $jaar, 'verdeelsleutel_aandeel_markt', CAST(aandeel_markt AS VARCHAR), bron
FROM werk.verdeelsleutel WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 'verdeelsleutel_aandeel_overheid', CAST(aandeel_overheid AS VARCHAR), bron
FROM werk.verdeelsleutel WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 'verdeelsleutel_voorlopig', CAST(voorlopig AS VARCHAR), bron
FROM werk.verdeelsleutel WHERE jaar = $jaar
UNION ALL
SELECT $jaar, 'doelstelling_' || sector, CAST(doelstelling AS VARCHAR), bron
FROM ref.doelstelling WHERE jaar = $jaar
UNION ALL
SELECT $jaar, naam, waarde, bron FROM ref.parameters
WHERE naam IN ('uren_per_baan_per_week', 'afsluitdatum_maand_dag', 'meetperiode_begin_maand_dag',
               'meetperiode_einde_maand_dag', 'nulmeting_jaar', 'sectorfonds_drempel')
UNION ALL
SELECT $jaar, 'afsluitdatum_toegepast', CAST($afsluitdatum AS VARCHAR),
       'ref.parameters afsluitdatum_maand_dag of expliciet opgegeven bij de run'
UNION ALL
SELECT $jaar, 'meetvenster', CAST($venster_begin AS VARCHAR) || ' t/m ' || CAST($venster_einde AS VARCHAR),
       'ref.parameters meetperiode_*'
UNION ALL
SELECT $jaar, 'caa_vorm_regel_' || volgorde,
       concat_ws(' ', 'caa=' || code_aard_arbeidsverhouding, 'risicogroep=' || sector_risicogroep,
                 'sw=' || sw_bedrijf, '->', vorm, inleen_soort), bron
FROM ref.caa_vorm
UNION ALL
SELECT $jaar, 'grondslag_' || grondslag, CAST(telt_mee AS VARCHAR), bron FROM ref.grondslag;

DELETE FROM audit.invoerbestanden WHERE jaar = $jaar;
INSERT INTO audit.invoerbestanden
SELECT $jaar, extract, bron_bestand, formaat, sha256, bytes, rijen_gelezen FROM ingest.bestanden;
