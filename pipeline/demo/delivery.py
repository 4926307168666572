"""Synthetic national delivery for the demo and the end-to-end tests: `generate_delivery`.

`generate_delivery(out_dir, years, scale, seed, bad_rows)` writes a delivery folder in the formats of
docs/EXTRACTS.md (`polis/`, `werkgevers/`, `doelgroepregister/`) and returns a `Bookkeeping`. The
bookkeeping is the independent oracle for the pipeline: per year it holds the December hours per
cell (formeel_markt, formeel_overheid, inleen; before the verdeelsleutel), the number of working
persons and the size of the doelgroep. They come from the generator's own arrays (numpy), through a
separate implementation of METHOD R1-R6 and R10 (`bookkeeping.oracle`), never by reading the files
back. The bookkeeping is also written as JSON next to the delivery folder
(`<out_dir>.boekhouding.json`), never inside it.

Calibration: at scale s the three cells of year Y hit s x the banen of data/demo/kalibratie.csv
times 25.5 x 31 / 7 hours (25.5 from data/reference/parameters.csv) to within 0.05 hours. Jobs
get random realistic hours; the hours of each cell are then scaled to the target, written with two
decimals (internally integer centi-hours, so the files and the oracle hold the same numbers), and
the rounding residual is put on one balancing December record of the cell.
Where data/reference/gepubliceerde_cijfers.csv publishes werkzame_personen (R10; the nulmeting:
63,837 persons in 2012), the number of distinct working persons of that year is round(s x it): before
calibration, jobs are moved between members (persons with several jobs absorb the rest), see
`jobs.fit_working_persons`. Other years are not touched.

What the data contains on purpose (the traps a correct pipeline must get right):

- R1: corrections on a later date (in `polis/polis_correcties.csv`, a file holding several years),
  same-day corrections told apart by volgnummer (sometimes a later date with a lower volgnummer),
  reversals with negative hours that are superseded, corrections on exactly the cut-off date
  (count) and the day after (do not count), records delivered only after the cut-off (never
  count), a few final versions of 0 hours.
- R3: monthly, four-weekly (13th period to 31 Dec; 12th period 5 Nov-2 Dec or 4 Nov-1 Dec in leap
  years) and weekly periods (cut at the year boundary, e.g. a one-day week on 31 Dec 2012), each
  job with one or two periods before December; jobs that start or end around December.
- R4: registrations that start or end inside a period overlapping December (the whole period
  counts), one-day registrations (ignored; some on 31 December), non-counting grondslagen
  (VOORZIENING, BESCHUT) for working persons, workers not in the register, persons with several
  registrations spread over the two register files.
- R5: CAA 11/82/22 and CAA 1 at sector 52 are inleen; CAA 21 at a sector-52 employer and CAA 24
  anywhere are excluded; any other CAA at an SW-bedrijf is excluded but CAA 22 there is inleen;
  CAA 23 at a regular employer and CAA 18 at government employers are formeel.
- R6: government employers under a sectorfonds (aandeel >= 0.5, some exactly 0.50) count as
  markt; market employers with a low aandeel stay markt; employers in sector 61-66 that are no
  overheidswerkgever are markt; status changes by a new version starting on 1 January (the old
  version still applies that year), mid-year, two versions starting in the same (first) year
  (the earliest applies), and a gap year (the earliest version starting in Y applies).
  `sector_risicogroep` 52 and `sw_bedrijf` never change between versions of one employer.
- Bad rows (bad_rows=True): about 30 rows breaking one EXTRACTS rule each, several of them
  'shadowing' a real record (same key, later aanleverdatum) or making a non-member look like a
  member, so that not quarantining them would change the figures.

- R15–R17 (pipeline/demo/werkgevers_quotum.py): persons outside the register in their own file
  `polis/polis_werknemers.csv` (one December employee for every employer, and a full year of
  payroll from 2014 for a sample of ~30 employers; they never change an R1–R10 figure) and the
  optional `inleen/inleen.csv` with credits of which about one in five exceeds the cap. The
  bookkeeping's `quotum` holds their oracle (`bookkeeping.quotum_oracle`).

The parts of the delivery each draw from their own random stream of the seed: persons (1),
employers (2), each year's jobs (3, Y) and person fit (7, Y), file order (4), bad rows (5, 6),
the persons who already work before they are registered (8; `voorwerk`).
the employees outside the register and the inleen credits (9).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

import polars as pl

from pipeline.demo.bad_rows import polis_bad_rows, register_bad_rows, werkgevers_bad_rows
from pipeline.demo.bookkeeping import Bookkeeping, bookkeeping_path, oracle, quotum_oracle
from pipeline.demo.dates import random_stream
from pipeline.demo.employers import make_employers
from pipeline.demo.people import make_people
from pipeline.demo.voorwerk import add_voorwerk
from pipeline.demo.polis import make_year, number_jobs
from pipeline.demo.reference import CELLS, KALIBRATIE_CSV, load_reference
from pipeline.demo.werkgevers_quotum import make_quotum_rows, write_quotum_files
from pipeline.demo.writers import bsn_str, clear, polis_files, write_polis, write_register, write_werkgevers

__all__ = ["DEMO_YEARS", "generate_delivery"]

DEMO_YEARS = (2012, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023)
_THREADS = 2  # years made, files written at the same time (numpy, polars, pyarrow, zlib release the GIL)


def generate_delivery(
    out_dir: Path,
    years: Sequence[int] = DEMO_YEARS,
    scale: float = 1.0,
    seed: int = 2013,
    bad_rows: bool = True,
) -> Bookkeeping:
    """Write a synthetic delivery to out_dir and return (and write) its bookkeeping."""
    out_dir = Path(out_dir)
    years = tuple(sorted({int(y) for y in years}))
    if not years:
        raise ValueError("generate_delivery: no years")
    if not scale > 0:
        raise ValueError("generate_delivery: scale must be positive")
    ref = load_reference()
    missing = [y for y in years if y not in ref.kalibratie]
    if missing:
        raise ValueError(f"generate_delivery: no calibration targets for {missing} in {KALIBRATIE_CSV}")
    upb = ref.uren_per_baan_per_week * 31 / 7
    targets = {y: {c: scale * ref.kalibratie[y][c] * upb for c in CELLS} for y in years}

    people = add_voorwerk(make_people(random_stream(seed, 1), scale, ref), random_stream(seed, 8), scale, ref)
    emp = make_employers(random_stream(seed, 2), scale, ref)
    # the years draw from their own streams and only read people and emp: made side by side
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        made = {y: pool.submit(make_year, random_stream(seed, 3, y), y, people, emp, ref, targets[y], scale,
                               random_stream(seed, 7, y)) for y in years}
        yr = {y: made[y].result() for y in years}
    rows, ikv_next = number_jobs(yr, years)
    # METHOD R15–R17: employees outside the register and inleen credits (pipeline/demo/werkgevers_quotum.py)
    quotum_rows = make_quotum_rows(random_stream(seed, 9), years, rows, people, emp)

    # ---- files: the random draws of every file in a fixed order here; building and writing the
    # files (polars, pyarrow and zlib, which release the GIL) in threads, while the oracle runs
    for d in ("polis", "werkgevers", "doelgroepregister"):
        clear(out_dir / d)
    bsn_s = bsn_str(people.bsn)
    lhnr_s = pl.Series(emp.lhnr, dtype=pl.String)
    wrng = random_stream(seed, 4)
    files = polis_files(years)

    polis_bad, bad_lhnr_werkgever = ({}, None)
    reg_bad = {"deel1": [], "deel2": []}
    wg_bad = []
    if bad_rows:
        polis_bad, bad_lhnr_werkgever = polis_bad_rows(random_stream(seed, 5), years, yr, people, emp, ikv_next, files)
        reg_bad = register_bad_rows(random_stream(seed, 6), years, yr, people)
        wg_bad = werkgevers_bad_rows(emp, bad_lhnr_werkgever)

    bad_list: list[dict] = []
    row_counts: dict[str, dict[str, int]] = {"polis": {}, "werkgevers": {}, "doelgroepregister": {}}
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        tasks = write_polis(out_dir, files, yr, years, rows, polis_bad, bsn_s, lhnr_s, wrng, pool, row_counts, bad_list)
        tasks += write_werkgevers(out_dir, emp, ref, lhnr_s, wg_bad, wrng, pool, row_counts, bad_list)
        tasks += write_register(out_dir, people, bsn_s, reg_bad, wrng, pool, row_counts, bad_list)
        tasks.append(pool.submit(write_quotum_files, out_dir, quotum_rows, bsn_s, lhnr_s, row_counts))

        # the oracle (R1-R6, R10) on everything written except the bad rows
        truth = oracle(rows, people, emp, ref, years)
        # R14: the same under every regime that is not official for every year (a scenario's oracle)
        scenarios = {name: oracle(rows, people, emp, ref, years, regeling=name) for name in ref.telt_per_regeling
                     if any(ref.officiele_regeling(y) != name for y in years)}
        for y in years:
            for c in CELLS:
                diff = truth["uren"][y][c] - targets[y][c]
                assert abs(diff) < 0.05, f"calibration {y} {c}: {truth['uren'][y][c]} vs {targets[y][c]}"
        quotum = quotum_oracle(rows, quotum_rows, people, emp, ref, years, quotum_rows.sample)
        for task in tasks:
            task.result()

    kal = ref.kalibratie
    book = Bookkeeping(
        seed=int(seed),
        scale=float(scale),
        years=list(years),
        uren_per_baan_per_week=ref.uren_per_baan_per_week,
        uren_per_baan_venster=upb,
        uren=truth["uren"],
        doel_uren=targets,
        werkzame_personen=truth["werkzame_personen"],
        doelgroep_omvang=truth["doelgroep_omvang"],
        aandeel_markt={y: kal[y]["aandeel_markt"] for y in years},
        sleutel={y: kal[y]["sleutel"] for y in years},
        bad_rows=bad_list,
        rows=row_counts,
        kalibratie_factor={y: yr[y].factor for y in years},
        scenario=scenarios,
        stromen=truth["stromen"],
        banen_ongeteld=truth["banen_ongeteld"],
        duurzaamheid=truth["duurzaamheid"],
        register_stromen=truth["register_stromen"],
        quotum=quotum,
    )
    book.write(bookkeeping_path(out_dir))
    return book
