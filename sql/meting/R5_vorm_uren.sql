-- step: werk.vorm_uren
-- rule: R5 — Form of the job (vorm) from the CAA code and the employer
-- reads: werk.doelgroep_uren, werk.werkgever_peildatum, ref.caa_vorm, werk.meetjaren
--
-- ref.caa_vorm is an ordered rule table: the first rule (lowest volgorde) whose non-empty
-- conditions (code_aard_arbeidsverhouding, sector_risicogroep, sw_bedrijf) all match (macro
-- vorm_regel_past, sql/schema/regels.sql) decides the vorm: 'formeel', 'inleen' (with inleen_soort
-- uitzend / wsw_detachering) or 'uitgesloten'.
-- Employer attributes come from werk.werkgever_peildatum (R6).
-- The rule is resolved once per distinct combination of the three attributes that occurs (a few
-- dozen), and the records then take their combination's rule by an equi-join: the rule table is
-- never matched against every record.
DELETE FROM werk.vorm_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.vorm_uren
WITH records AS (
    SELECT d.jaar, d.bron_bestand, d.regelnummer, d.persoon_id, d.loonheffingennummer, d.ikv_id,
           d.tijdvak_begin, d.code_aard_arbeidsverhouding, w.sector_risicogroep, w.sw_bedrijf, d.uren_venster
    FROM werk.doelgroep_uren AS d
    JOIN werk.werkgever_peildatum AS w
      ON w.jaar = d.jaar AND w.loonheffingennummer = d.loonheffingennummer
    WHERE d.jaar IN (SELECT jaar FROM werk.meetjaren)
),
combinaties AS (
    SELECT DISTINCT code_aard_arbeidsverhouding, sector_risicogroep, sw_bedrijf FROM records
),
eerste_regel AS (
    SELECT c.code_aard_arbeidsverhouding, c.sector_risicogroep, c.sw_bedrijf, r.vorm, r.inleen_soort, r.volgorde
    FROM combinaties AS c
    JOIN ref.caa_vorm AS r
      ON vorm_regel_past(r.code_aard_arbeidsverhouding, r.sector_risicogroep, r.sw_bedrijf,
                         c.code_aard_arbeidsverhouding, c.sector_risicogroep, c.sw_bedrijf)
    QUALIFY row_number() OVER (
        PARTITION BY c.code_aard_arbeidsverhouding, c.sector_risicogroep, c.sw_bedrijf ORDER BY r.volgorde) = 1
)
SELECT
    d.jaar, d.bron_bestand, d.regelnummer, d.persoon_id, d.loonheffingennummer, d.ikv_id,
    d.tijdvak_begin, d.code_aard_arbeidsverhouding,
    r.vorm, r.inleen_soort, r.volgorde AS vorm_regel, d.uren_venster
FROM records AS d
JOIN eerste_regel AS r
  ON r.code_aard_arbeidsverhouding IS NOT DISTINCT FROM d.code_aard_arbeidsverhouding
 AND r.sector_risicogroep IS NOT DISTINCT FROM d.sector_risicogroep
 AND r.sw_bedrijf IS NOT DISTINCT FROM d.sw_bedrijf;
