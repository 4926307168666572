-- step: quotum.inleen
-- rule: R17 (inleen crediting) — Hours credited from a lender to a borrower (Besluit Wfsv art. 2.28–2.30)
-- reads: staging.inleen, werk.quotum_uren, werk.meetjaren
--
-- Every accepted row of the optional inleen/ extract (docs/EXTRACTS.md §6) of a year of the run,
-- summed per (jaar, uitlener, inlener, persoon). Each person is capped at that person's hours at
-- the lender in Y that count in the lender's C (werk.quotum_uren: hours that do not count for the
-- quotum cannot be credited): when the hours a lender credits for one person to all its borrowers
-- together (uren_opgegeven_persoon) exceed that cap (uren_bij_uitlener), every borrower of that
-- person gets its share of the cap (uren_opgegeven × cap / total), so the lender never gives
-- away more than it had. uren_verrekend is added to the borrower's C and taken from the lender's.
DELETE FROM quotum.inleen WHERE jaar IN (SELECT jaar FROM werk.meetjaren);

INSERT INTO quotum.inleen
WITH opgegeven AS (
    SELECT jaar, uitlener_loonheffingennummer, inlener_loonheffingennummer, persoon_id,
           sum(verloonde_uren) AS uren_opgegeven
    FROM staging.inleen
    WHERE jaar IN (SELECT jaar FROM werk.meetjaren)
    GROUP BY ALL
),
met_plafond AS (
    SELECT o.*,
           coalesce(q.uren, 0) AS uren_bij_uitlener,
           sum(o.uren_opgegeven) OVER (PARTITION BY o.jaar, o.uitlener_loonheffingennummer, o.persoon_id)
               AS uren_opgegeven_persoon
    FROM opgegeven AS o
    LEFT JOIN werk.quotum_uren AS q
      ON q.jaar = o.jaar AND q.loonheffingennummer = o.uitlener_loonheffingennummer AND q.persoon_id = o.persoon_id
)
SELECT jaar, uitlener_loonheffingennummer, inlener_loonheffingennummer, persoon_id, uren_opgegeven,
       uren_bij_uitlener, uren_opgegeven_persoon,
       CASE WHEN uren_opgegeven_persoon <= greatest(uren_bij_uitlener, 0) THEN uren_opgegeven
            -- the share of the cap, rounded DOWN to a millionth of an hour (so the shares never add up
            -- to more than the cap), exactly: in whole micro-hours, never floating point
            ELSE CAST(CAST(uren_opgegeven * 1000000 AS HUGEINT) * CAST(greatest(uren_bij_uitlener, 0) * 1000000 AS HUGEINT)
                      // CAST(uren_opgegeven_persoon * 1000000 AS HUGEINT) AS DECIMAL(38, 0))
                 * CAST(0.000001 AS DECIMAL(7, 6))
       END AS uren_verrekend
FROM met_plafond;
