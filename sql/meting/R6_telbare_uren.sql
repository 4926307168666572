-- step: werk.telbare_uren
-- rule: R6 (second half) — Sector of formal jobs
-- reads: werk.vorm_uren, werk.werkgever_peildatum, werk.meetjaren
--
-- overheid when the employer (version of werk.werkgever_peildatum) is an overheidswerkgever and
-- less than half of its paid hours fall under a sectorfonds (sectorfonds_drempel = 0.5,
-- Regeling Wfsv art. 3.27); otherwise markt. Inleen hours get no sector here: R7 splits them.
-- Excluded jobs (vorm 'uitgesloten') do not count and stop here.
DELETE FROM werk.telbare_uren WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO werk.telbare_uren
SELECT
    v.jaar, v.bron_bestand, v.regelnummer, v.persoon_id, v.loonheffingennummer, v.ikv_id,
    v.tijdvak_begin, v.vorm, v.inleen_soort,
    CASE
        WHEN v.vorm = 'inleen' THEN NULL
        WHEN overheid THEN 'overheid'
        ELSE 'markt'
    END AS sector,
    CASE WHEN v.vorm = 'formeel' AND overheid THEN w.overheidssector END AS overheidssector,
    w.arbeidsmarktregio AS werkgever_regio,
    v.uren_venster
FROM werk.vorm_uren AS v
JOIN werk.werkgever_peildatum AS w
  ON w.jaar = v.jaar AND w.loonheffingennummer = v.loonheffingennummer
JOIN werk.meetjaren AS m ON m.jaar = v.jaar,
LATERAL (SELECT is_overheid(w.overheidswerkgever, w.uren_sectorfonds_aandeel, m.sectorfonds_drempel) AS overheid)
WHERE v.vorm <> 'uitgesloten';
