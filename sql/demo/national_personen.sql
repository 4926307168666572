-- National-size synthetic delivery (pipeline/demo/national.py) — the population behind the
-- extracts: persons with a BSN, and employment relations (IKV). Not an extract itself; the polis
-- and the doelgroepregister are built from these two tables. Runs after national_werkgevers.sql
-- (it uses the table `werkgever` and the macro `toeval`).
--
-- persoon: one row per person p ∈ [0, $n_personen): the employees are 0..$n_werknemers−1, the
--   doelgroep members who do not work are $n_werknemers.. . The BSN: 8-digit prefixes q run through
--   a permutation of 10,000,000..99,999,999 (q = 10^7 + (c × $bsn_factor + $bsn_offset) mod 9·10^7,
--   the factor coprime with 9·10^7); the check digit d9 = (9·d1 + 8·d2 + … + 2·d8) mod 11 makes
--   the elfproef hold; prefixes whose check digit would be 10 are skipped. Distinct prefixes give
--   distinct BSNs, so a BSN is unique per person.
-- Doelgroep: exactly $n_dg_werkend employees are in the doelgroep, spread evenly over the person
--   numbers: p is a member when floor((p+1)·n_dg/n) > floor(p·n_dg/n).
-- ikv: one row per employment relation i ∈ [0, $n_ikv): IKV i < $n_werknemers belongs to person i
--   (every employee has one), the others to a random employee. The employer is drawn from a skewed
--   distribution (k = floor(n_werkgevers × u²), permuted), so a few employers are large; doelgroep
--   members work more often at SW-bedrijven (12 %) and at government employers (18 %). Payroll
--   period kind per IKV: ~92 % month, ~6 % four weeks, ~2 % week. CAA per IKV depends on the employer
--   kind and on doelgroep membership (inleen, Wsw and beschut werk are more common in the doelgroep).
-- Parameters: $seed, $n_personen, $n_werknemers, $n_dg_werkend, $n_ikv, $n_werkgevers,
--   $bsn_kandidaten, $bsn_factor, $bsn_offset, $wg_factor, $wg_offset.

CREATE OR REPLACE TABLE persoon AS
WITH kandidaat AS (
    SELECT range AS c, 10000000 + (range * $bsn_factor + $bsn_offset) % 90000000 AS q
    FROM range($bsn_kandidaten)
),
controle AS (
    SELECT
        c, q,
        (9 * (q // 10000000) + 8 * (q // 1000000 % 10) + 7 * (q // 100000 % 10) + 6 * (q // 10000 % 10)
         + 5 * (q // 1000 % 10) + 4 * (q // 100 % 10) + 3 * (q // 10 % 10) + 2 * (q % 10)) % 11 AS d9
    FROM kandidaat
),
genummerd AS (
    SELECT row_number() OVER (ORDER BY c) - 1 AS p, CAST(q * 10 + d9 AS VARCHAR) AS bsn
    FROM controle
    WHERE d9 < 10
)
SELECT p, bsn,
       p < $n_werknemers
       AND ((p + 1) * $n_dg_werkend) // $n_werknemers > (p * $n_dg_werkend) // $n_werknemers AS doelgroep_werkend
FROM genummerd
WHERE p < $n_personen
ORDER BY p;

CREATE OR REPLACE TABLE ikv AS
WITH basis AS (
    SELECT
        range AS i,
        CASE WHEN range < $n_werknemers THEN range
             ELSE CAST(floor(toeval($seed, range, 'persoon') * $n_werknemers) AS BIGINT)
        END AS p,
        toeval($seed, range, 'werkgever') AS u_werkgever,
        toeval($seed, range, 'kies') AS u_kies,
        toeval($seed, range, 'tijdvak') AS u_tijdvak,
        toeval($seed, range, 'uren') AS u_uren,
        toeval($seed, range, 'caa') AS u_caa,
        toeval($seed, range, 'caa2') AS u_caa2
    FROM range($n_ikv)
),
aantal AS (
    SELECT soort, count(*) AS n FROM werkgever GROUP BY soort
),
rang AS (
    SELECT w, soort, row_number() OVER (PARTITION BY soort ORDER BY w) - 1 AS r FROM werkgever
),
keuze AS (
    SELECT
        b.*, pe.bsn, pe.doelgroep_werkend AS doelgroep,
        CASE WHEN pe.doelgroep_werkend AND b.u_kies < 0.12 THEN 'sw'
             WHEN pe.doelgroep_werkend AND b.u_kies < 0.30 THEN 'overheid'
        END AS voorkeur,
        (CAST(floor($n_werkgevers * b.u_werkgever * b.u_werkgever) AS BIGINT) * $wg_factor + $wg_offset)
            % $n_werkgevers AS w_algemeen
    FROM basis AS b
    JOIN persoon AS pe ON pe.p = b.p
),
gekozen AS (
    SELECT k.*, coalesce(r.w, k.w_algemeen) AS w
    FROM keuze AS k
    LEFT JOIN aantal AS a ON a.soort = k.voorkeur
    LEFT JOIN rang AS r
      ON r.soort = k.voorkeur
     AND r.r = CAST(floor(k.u_werkgever * a.n) AS BIGINT)
)
SELECT
    g.i, g.p, g.bsn, g.doelgroep, g.w, wg.soort AS werkgever_soort,
    wg.loonheffingennummer, wg.geldig_vanaf AS werkgever_vanaf,
    CAST(g.i + 1 AS VARCHAR) AS ikv_id,
    CASE WHEN g.u_tijdvak < 0.92 THEN 'maand' WHEN g.u_tijdvak < 0.98 THEN 'vierweken' ELSE 'week' END
        AS soort_tijdvak,
    CASE WHEN g.doelgroep THEN 8 + round(g.u_uren * 24, 2) ELSE 6 + round(g.u_uren * 34, 2) END AS uren_per_week,
    CASE
        WHEN wg.soort = 'uitzend' THEN CASE WHEN g.u_caa < 0.85 THEN 11 WHEN g.u_caa < 0.95 THEN 82 ELSE 1 END
        WHEN wg.soort = 'sw' THEN
            CASE WHEN g.u_caa < 0.40 THEN 21 WHEN g.u_caa < 0.65 THEN 22 WHEN g.u_caa < 0.75 THEN 23 ELSE 1 END
        WHEN g.doelgroep AND g.u_caa < 0.12 THEN 11
        WHEN g.doelgroep AND g.u_caa < 0.16 THEN 82
        WHEN g.doelgroep AND g.u_caa < 0.20 THEN 22
        WHEN g.doelgroep AND g.u_caa < 0.23 THEN 23
        WHEN g.doelgroep AND g.u_caa < 0.245 THEN 24
        WHEN g.doelgroep AND g.u_caa < 0.26 THEN 21
        WHEN NOT g.doelgroep AND g.u_caa < 0.025 THEN 11
        WHEN NOT g.doelgroep AND g.u_caa < 0.035 THEN 82
        WHEN NOT g.doelgroep AND g.u_caa < 0.038 THEN 22
        WHEN NOT g.doelgroep AND g.u_caa < 0.040 THEN 23
        WHEN NOT g.doelgroep AND g.u_caa < 0.041 THEN 24
        WHEN NOT g.doelgroep AND g.u_caa < 0.042 THEN 21
        WHEN NOT g.doelgroep AND g.u_caa < 0.050 THEN 13   -- another valid code: a formal job
        WHEN wg.soort = 'overheid' AND g.u_caa2 < 0.6 THEN 18
        ELSE 1
    END AS code_aard_arbeidsverhouding
FROM gekozen AS g
JOIN werkgever AS wg ON wg.w = g.w
ORDER BY g.i;
