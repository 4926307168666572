-- step: werk.doelgroep_uren
-- rule: R4 — Doelgroep membership, whole-period rule (Wfsv art. 38g lid 8)
-- reads: werk.venster_uren, staging.doelgroepregister, ref.regeling_grondslag, werk.meetjaren
--
-- A payroll period counts entirely when the person has a counting registration (macro
-- telbare_registratie: a grondslag that counts under the regime of the year (R14), not a one-day
-- registration) whose interval
-- [datum_ingang, datum_einde] overlaps the period on at least one day (macro overlapt;
-- datum_einde NULL = still registered).
DELETE FROM werk.doelgroep_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.doelgroep_uren
SELECT
    u.jaar, u.bron_bestand, u.regelnummer, u.persoon_id, u.loonheffingennummer, u.ikv_id,
    u.tijdvak_begin, u.tijdvak_einde, u.code_aard_arbeidsverhouding, u.uren_venster
FROM werk.venster_uren AS u
WHERE u.jaar IN (SELECT jaar FROM werk.meetjaren)
  AND EXISTS (
    SELECT 1
    FROM staging.doelgroepregister AS r
    WHERE r.persoon_id = u.persoon_id
      AND telbare_registratie(u.jaar, r.grondslag, r.datum_ingang, r.datum_einde)
      AND overlapt(r.datum_ingang, r.datum_einde, u.tijdvak_begin, u.tijdvak_einde)
  );
