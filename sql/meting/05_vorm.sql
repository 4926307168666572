-- METHOD R5 — Form of the job (vorm) from the CAA code and the employer.
-- ref.caa_vorm is an ordered rule table: the first rule (lowest volgorde) whose non-empty
-- conditions (code_aard_arbeidsverhouding, sector_risicogroep, sw_bedrijf) all match decides the
-- vorm: 'formeel', 'inleen' (with inleen_soort uitzend / wsw_detachering) or 'uitgesloten'.
-- Employer attributes come from werk.werkgever_peildatum (R6).
-- Parameters: $jaar.
DELETE FROM werk.vorm_uren WHERE jaar = $jaar;

INSERT INTO werk.vorm_uren
SELECT
    d.jaar, d.bron_bestand, d.regelnummer, d.persoon_id, d.loonheffingennummer, d.ikv_id,
    d.tijdvak_begin, d.code_aard_arbeidsverhouding,
    r.vorm, r.inleen_soort, r.volgorde AS vorm_regel, d.uren_venster
FROM werk.doelgroep_uren AS d
JOIN werk.werkgever_peildatum AS w
  ON w.jaar = d.jaar AND w.loonheffingennummer = d.loonheffingennummer
JOIN ref.caa_vorm AS r
  ON (r.code_aard_arbeidsverhouding IS NULL OR r.code_aard_arbeidsverhouding = d.code_aard_arbeidsverhouding)
 AND (r.sector_risicogroep IS NULL OR r.sector_risicogroep = w.sector_risicogroep)
 AND (r.sw_bedrijf IS NULL OR r.sw_bedrijf = w.sw_bedrijf)
WHERE d.jaar = $jaar
QUALIFY row_number() OVER (PARTITION BY d.bron_bestand, d.regelnummer ORDER BY r.volgorde) = 1;
