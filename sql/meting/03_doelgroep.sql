-- METHOD R4 — Doelgroep membership, whole-period rule (Wfsv art. 38g lid 8).
-- A payroll period counts entirely when the person has a registration with a counting grondslag
-- (ref.grondslag.telt_mee) whose interval [datum_ingang, datum_einde] overlaps the period on at
-- least one day. datum_einde NULL = still registered. A one-day registration
-- (datum_einde = datum_ingang) is ignored.
-- Parameters: $jaar.
DELETE FROM werk.doelgroep_uren WHERE jaar = $jaar;

INSERT INTO werk.doelgroep_uren
SELECT
    u.jaar, u.bron_bestand, u.regelnummer, u.persoon_id, u.loonheffingennummer, u.ikv_id,
    u.tijdvak_begin, u.tijdvak_einde, u.code_aard_arbeidsverhouding, u.uren_venster
FROM werk.venster_uren AS u
WHERE u.jaar = $jaar
  AND EXISTS (
    SELECT 1
    FROM staging.doelgroepregister AS r
    JOIN ref.grondslag AS g ON g.grondslag = r.grondslag AND g.telt_mee
    WHERE r.persoon_id = u.persoon_id
      AND r.datum_ingang <= u.tijdvak_einde
      AND coalesce(r.datum_einde, DATE '9999-12-31') >= u.tijdvak_begin
      AND (r.datum_einde IS NULL OR r.datum_einde > r.datum_ingang)
  );
