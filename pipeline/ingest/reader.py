"""Reading the files of a delivery (docs/EXTRACTS.md): discovery, format, whole-file problems.

Per file, a temporary view `bron` exposes every contract column as text plus `regelnummer`;
the ingest SQL (sql/ingest/<extract>.sql) types, pseudonymises and checks the rows. A file
that cannot be read as a whole raises DeliveryError naming the file and the problem.

The polis (national scale: ~130 M rows a year) also gets `<column>_getypt` for its typed
columns (TYPED below). When a Parquet column already has a type that converts to the contract
type without loss, its value arrives there, in the file's own type, and the text column is NULL:
no value makes the round trip through text. Otherwise (CSV, or a Parquet type that could lose or
change a value, such as DOUBLE hours or BIGINT codes) the text column holds the value and
`<column>_getypt` is NULL; the SQL parses the text. sql/ingest/polis.sql does all typing.

A file is read as itself and only itself:
- discovery (`discover`) stays inside the delivery: a symbolic link that leads out of it, a
  subfolder, a hidden file or two names for one file stop the run naming the file; only known
  system litter (LITTER) is ignored, and listed (`record_ignored`, ingest.genegeerde_bestanden);
- DuckDB's readers expand glob patterns in their path argument, so every path is passed with
  its pattern characters escaped (`sql_path`), and checked to name exactly one file;
- a header that names a contract column twice (also when the names differ only by case, outer
  spaces or a byte-order mark) stops the run: which copy holds the value cannot be known;
- a Parquet timestamp becomes the calendar date it shows in its own time zone (the zone written
  in the file's Arrow schema; UTC when the file names none), never in the zone of the machine or
  of the DuckDB session; a timestamp with a time of day arrives as text, which the date rule
  rejects;
- numbers are text with ',' as the decimal mark (docs/EXTRACTS.md): a Parquet DOUBLE or wide DECIMAL
  in a decimal column (DECIMALS) that goes the text route is written that way, so that the rule
  that rejects '1.234' in a CSV file does not reject it.
"""

from __future__ import annotations

import csv
import gzip
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.paths import file_sha256
from pipeline.sqlfiles import run_sql

EXTRACTS = ("werkgevers", "doelgroepregister", "polis", "inleen")
# Extracts a delivery may leave out (docs/EXTRACTS.md §6): a missing folder means no rows, not an error.
OPTIONAL_EXTRACTS = {"inleen"}

# Contract columns per extract; the ones that may be absent from a file (then all NULL) are optional.
COLUMNS: dict[str, list[str]] = {
    "polis": [
        "bsn", "loonheffingennummer", "ikv_id", "tijdvak_begin", "tijdvak_einde",
        "verloonde_uren", "code_aard_arbeidsverhouding", "aanleverdatum", "volgnummer",
    ],
    "werkgevers": [
        "loonheffingennummer", "naam", "geldig_vanaf", "geldig_tot", "sector_risicogroep",
        "overheidswerkgever", "uren_sectorfonds_aandeel", "overheidssector", "sw_bedrijf",
        "arbeidsmarktregio",
    ],
    "doelgroepregister": ["bsn", "grondslag", "datum_ingang", "datum_einde", "woonregio"],
    "inleen": ["uitlener_loonheffingennummer", "inlener_loonheffingennummer", "bsn", "jaar", "verloonde_uren"],
}
OPTIONAL: dict[str, set[str]] = {
    "polis": set(),
    "werkgevers": {"naam", "geldig_tot", "overheidssector"},
    "doelgroepregister": {"datum_einde"},
    "inleen": set(),
}
SUFFIXES = (".csv", ".csv.gz", ".parquet")

# Contract types of the polis columns that may arrive typed from Parquet (docs/EXTRACTS.md §1).
TYPED: dict[str, dict[str, str]] = {
    "polis": {
        "tijdvak_begin": "DATE", "tijdvak_einde": "DATE", "aanleverdatum": "DATE",
        "verloonde_uren": "DECIMAL(18, 6)",
        "code_aard_arbeidsverhouding": "INTEGER", "volgnummer": "INTEGER",
    },
}
# Contract decimals (docs/EXTRACTS.md: ',' is the decimal mark). A Parquet number in one of these columns
# that goes the text route is written with ',' so that it meets the same rule as a CSV value.
DECIMALS = {"verloonde_uren", "uren_sectorfonds_aandeel"}  # also inleen.verloonde_uren
_SMALL_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT")
_FRACTIONAL = ("DOUBLE", "FLOAT", "DECIMAL(")

# Known system litter: files that operating systems and file managers put into folders by
# themselves and that never hold rows. These are ignored and listed (ingest.genegeerde_bestanden);
# any other hidden file stops the run. Names compared case-insensitively.
LITTER = {
    ".ds_store": "Finder-metadata van macOS",
    "thumbs.db": "miniatuurcache van Windows",
    "ehthumbs.db": "miniatuurcache van Windows",
    "ehthumbs_vista.db": "miniatuurcache van Windows",
    "desktop.ini": "mapinstellingen van Windows",
}
# '._<name>': AppleDouble metadata that macOS writes beside a file on a foreign file system; it
# can carry a data suffix ('._polis.csv'), so it is only litter when it starts with this magic.
_APPLEDOUBLE_MAGIC = b"\x00\x05\x16\x07"
_GZIP_MAGIC = b"\x1f\x8b"


def _lossless(parquet_type: str, contract_type: str) -> bool:
    """Whether a Parquet column of this DuckDB type converts to the contract type exactly.
    (A Parquet timestamp is never taken as it is: create_source_view reads its calendar date.)"""
    if contract_type == "DATE":
        return parquet_type == "DATE"
    if contract_type == "INTEGER":
        return parquet_type in _SMALL_INTEGERS
    if contract_type == "DECIMAL(18, 6)":
        if parquet_type in _SMALL_INTEGERS:
            return True
        if parquet_type.startswith("DECIMAL("):
            precision, scale = (int(n) for n in parquet_type[8:-1].split(","))
            return scale <= 6 and precision - scale <= 12
    return False


class DeliveryError(Exception):
    """A delivery or one of its files cannot be read as a whole; the run must stop."""


@dataclass(frozen=True)
class SourceFile:
    extract: str
    path: Path
    relative: str  # path within the delivery, e.g. 'polis/polis_2021.csv.gz'
    format: str  # 'csv' or 'parquet'

    @property
    def bytes(self) -> int:
        return self.path.stat().st_size

    def sha256(self) -> str:
        return file_sha256(self.path)


@dataclass(frozen=True)
class IgnoredFile:
    """A file in an extract folder that is known system litter (LITTER): not read, but listed."""

    extract: str
    path: Path
    relative: str
    reason: str


def _litter(path: Path) -> str | None:
    """Why this entry is known system litter, or None. Only a plain file (not a link) qualifies."""
    if path.is_symlink() or not path.is_file():
        return None
    reason = LITTER.get(path.name.lower())
    if reason:
        return reason
    if path.name.startswith("._"):
        try:
            with path.open("rb") as handle:
                if handle.read(len(_APPLEDOUBLE_MAGIC)) == _APPLEDOUBLE_MAGIC:
                    return "AppleDouble-metadata van macOS"
        except OSError:
            return None  # unreadable: not known to be litter, so it stops the run as a hidden file
    return None


def _scan(delivery: Path, extract: str) -> tuple[list[SourceFile], list[IgnoredFile]]:
    """The data files and the ignored litter of one extract folder; anything else stops the run."""
    root = delivery.resolve()
    folder = delivery / extract
    if extract in OPTIONAL_EXTRACTS and not folder.exists() and not folder.is_symlink():
        return [], []  # an optional extract left out: a complete delivery without its rows
    if not folder.is_dir():
        raise DeliveryError(f"Levering {delivery}: map '{extract}/' ontbreekt (docs/EXTRACTS.md).")
    if not folder.resolve().is_relative_to(root):
        raise DeliveryError(
            f"Map {extract}/: is een symbolische koppeling naar een map buiten de levering; de pipeline volgt "
            "geen koppeling die de levering verlaat. Kopieer de bestanden in de levering."
        )
    files: list[SourceFile] = []
    ignored: list[IgnoredFile] = []
    seen: dict[tuple[int, int], str] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        relative = f"{extract}/{path.name}"
        reason = _litter(path)
        if reason:
            ignored.append(IgnoredFile(extract, path, relative, reason))
            continue
        if path.name.startswith("."):
            raise DeliveryError(
                f"Bestand {relative}: verborgen bestand (de naam begint met een punt). Het wordt niet "
                "gelezen en ook niet stilzwijgend overgeslagen: verwijder het uit de levering, of geef het "
                "een naam zonder punt als het gegevens bevat."
            )
        if path.is_symlink():
            try:
                target = path.resolve()
            except (OSError, RuntimeError) as exc:  # a loop of links
                raise DeliveryError(
                    f"Bestand {relative}: is een symbolische koppeling die niet te volgen is (een kring)."
                ) from exc
            if not target.is_relative_to(root):
                raise DeliveryError(
                    f"Bestand {relative}: is een symbolische koppeling naar een bestand buiten de levering; "
                    "de pipeline volgt geen koppeling die de levering verlaat. Kopieer het bestand in de "
                    "levering of verwijder de koppeling."
                )
            if not target.exists():
                raise DeliveryError(
                    f"Bestand {relative}: is een symbolische koppeling naar een bestand dat niet bestaat."
                )
        try:
            status = path.stat()
        except OSError as exc:
            raise DeliveryError(f"Bestand {relative}: kan niet geopend worden ({exc.strerror}).") from exc
        if stat.S_ISDIR(status.st_mode):
            raise DeliveryError(
                f"Map {relative}/: een extract bestaat uit bestanden direct in {extract}/ (docs/EXTRACTS.md); "
                "bestanden in een submap worden niet gelezen en ook niet overgeslagen. Verplaats ze naar "
                f"{extract}/ of verwijder de map."
            )
        if not stat.S_ISREG(status.st_mode):
            raise DeliveryError(
                f"Bestand {relative}: is geen gewoon bestand (maar bijvoorbeeld een named pipe of apparaat); "
                "verwacht .csv, .csv.gz of .parquet."
            )
        if not path.name.lower().endswith(SUFFIXES):
            raise DeliveryError(
                f"Bestand {relative}: onbekend bestandstype; verwacht .csv, .csv.gz of .parquet."
            )
        identity = (status.st_dev, status.st_ino)
        if identity in seen:
            raise DeliveryError(
                f"Bestand {relative}: is hetzelfde bestand als {seen[identity]} (een harde of symbolische "
                "koppeling), en zou twee keer gelezen worden. Verwijder een van beide namen."
            )
        seen[identity] = relative
        fmt = "parquet" if path.name.lower().endswith(".parquet") else "csv"
        files.append(SourceFile(extract, path, relative, fmt))
    if not files and extract not in OPTIONAL_EXTRACTS:
        raise DeliveryError(f"Levering {delivery}: map '{extract}/' bevat geen bestanden.")
    return files, ignored


def discover(delivery: Path, extract: str) -> list[SourceFile]:
    """The files of one extract, sorted by name. Unknown file types, hidden files, subfolders and
    links out of the delivery are an error, not skipped; known system litter is left out (see
    `ignored_files`)."""
    return _scan(delivery, extract)[0]


def ignored_files(delivery: Path, extract: str) -> list[IgnoredFile]:
    """The known system litter (LITTER) in one extract folder: not read."""
    return _scan(delivery, extract)[1]


def record_ignored(con: duckdb.DuckDBPyConnection, delivery: Path, extract: str, run_id: str) -> list[str]:
    """List the ignored litter of one extract in ingest.genegeerde_bestanden (replacing the extract's
    previous list); returns the paths within the delivery."""
    run_sql(con, "ingest/genegeerde_bestanden.sql", {"extract": extract})
    ignored = ignored_files(delivery, extract)
    for item in ignored:
        con.execute(
            "INSERT INTO ingest.genegeerde_bestanden VALUES (?, ?, ?, ?, ?, ?)",
            [extract, item.relative, item.path.stat().st_size, file_sha256(item.path), item.reason, run_id],
        )
    return [item.relative for item in ignored]


# DuckDB's file readers treat '*', '?' and '[...]' in a path as a glob pattern; each becomes a
# one-character class, which matches only itself.
_GLOB_ESCAPE = str.maketrans({"*": "[*]", "?": "[?]", "[": "[[]"})


def literal_path(path: Path) -> str:
    """The absolute path with DuckDB's glob characters escaped, so it names exactly itself."""
    return str(path.absolute()).translate(_GLOB_ESCAPE)


def sql_path(path: Path) -> str:
    """A DuckDB string literal for read_csv/read_parquet that names exactly this one file, also
    when its name holds glob characters (a legal name such as 'polis[1].csv' would otherwise read
    'polis1.csv'). Absolute, so a leading '~' is never expanded."""
    return "'" + literal_path(path).replace("'", "''") + "'"


def _csv_reader(source: SourceFile) -> str:
    # Every dialect option is fixed by the contract, so DuckDB's sniffer decides nothing that could
    # drop rows: left to itself it may take '#' for a comment mark and skip such lines, or skip the
    # first lines of a file (header included) when later lines have another number of fields.
    compression = "gzip" if source.path.name.lower().endswith(".gz") else "none"
    return (
        f"read_csv({sql_path(source.path)}, delim = ';', quote = '\"', escape = '\"', header = true, "
        f"skip = 0, comment = '', compression = '{compression}', all_varchar = true, strict_mode = true)"
    )


def _file_problem(source: SourceFile) -> str | None:
    """Cheap whole-file checks DuckDB reports poorly: empty file, broken gzip, gzip under a plain name."""
    if source.bytes == 0:
        return "het bestand is leeg (0 bytes)"
    if source.path.name.lower().endswith(".gz"):
        try:
            with gzip.open(source.path, "rb") as handle:
                while handle.read(1 << 20):
                    pass
        except (OSError, EOFError) as exc:
            return f"gzip-bestand is afgebroken of beschadigd ({exc})"
    elif source.format == "csv":
        with source.path.open("rb") as handle:
            if handle.read(2) == _GZIP_MAGIC:
                return "het bestand is gzip-gecomprimeerd, maar de naam eindigt niet op .csv.gz"
    return None


def _csv_header(source: SourceFile) -> list[str] | None:
    """The column names of a CSV file's header row, as written (None when unreadable: DuckDB says why)."""
    opener = gzip.open if source.path.name.lower().endswith(".gz") else open
    try:
        with opener(source.path, "rt", encoding="utf-8-sig", errors="replace", newline="") as handle:
            return next(csv.reader(handle, delimiter=";", quotechar='"', doublequote=True), [])
    except (OSError, EOFError, csv.Error):
        return None


def _normal(name: str) -> str:
    """A header name as matched against the contract: without byte-order mark, outer spaces and case."""
    return name.strip().lstrip("\ufeff").strip().lower()


def _check_header(source: SourceFile, names: list[str]) -> None:
    """A contract column named more than once: which copy holds the value cannot be known."""
    wanted = set(COLUMNS[source.extract])
    copies: dict[str, list[str]] = {}
    for name in names:
        if _normal(name) in wanted:
            copies.setdefault(_normal(name), []).append(name)
    twice = [f"{column} ({len(found)} keer: {' en '.join(repr(n) for n in found)})"
             for column, found in copies.items() if len(found) > 1]
    if twice:
        raise DeliveryError(
            f"Bestand {source.relative}: de kopregel noemt een kolom meer dan eens: {'; '.join(twice)}. "
            "Welke kopie de waarde bevat is niet te bepalen; lever elke kolom één keer aan."
        )


def _parquet_schema(source: SourceFile):
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(source.path)
    except Exception as exc:  # pyarrow's errors (ArrowInvalid, OSError) have no common base
        raise DeliveryError(f"Bestand {source.relative}: kan niet gelezen worden: {_first_line(exc)}") from exc


def _parquet_zones(schema) -> dict[str, str]:
    """The time zone of every zoned timestamp column, as the file's Arrow schema writes it
    (pyarrow reports 'UTC' for a Parquet timestamp adjusted to UTC when the file names no zone)."""
    import pyarrow as pa

    return {f.name: f.type.tz for f in schema if pa.types.is_timestamp(f.type) and f.type.tz}


_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def _wall_clock(con, source: SourceFile, column: str, ident: str, dtype: str, zones: dict[str, str]) -> str:
    """SQL for the timestamp as a wall-clock TIMESTAMP in the column's own zone: for a zoned
    timestamp (an instant) the zone of the file, never the session's TimeZone setting."""
    if dtype != "TIMESTAMP WITH TIME ZONE":
        return ident  # a timestamp without zone is a wall-clock time as written
    zone = zones.get(column, "UTC")
    offset = _OFFSET.match(zone)
    if offset:
        minutes = (1 if offset[1] == "+" else -1) * (int(offset[2]) * 60 + int(offset[3]))
        return f"(timezone('UTC', {ident}) + INTERVAL '{minutes} minutes')"
    if not con.execute("SELECT count(*) FROM pg_timezone_names() WHERE name = ?", [zone]).fetchone()[0]:
        raise DeliveryError(
            f"Bestand {source.relative}: kolom {column} heeft tijdzone {zone!r}, die DuckDB niet kent; de "
            "kalenderdatum is dan niet te bepalen."
        )
    return "timezone('" + zone.replace("'", "''") + f"', {ident})"


def create_source_view(con: duckdb.DuckDBPyConnection, source: SourceFile) -> None:
    """Create TEMP VIEW bron over one file: contract columns as VARCHAR (and, for typed polis columns,
    `<column>_getypt`, see the module docstring) plus regelnummer."""
    problem = _file_problem(source)
    if problem:
        raise DeliveryError(f"Bestand {source.relative}: {problem}.")
    if source.format == "csv":
        relation = _csv_reader(source)
        line_offset = 1  # the header is line 1
    else:
        # file_row_number is 0-based and, unlike WITH ORDINALITY, keeps the scan parallel
        relation = f"read_parquet({sql_path(source.path)}, file_row_number = true)"
        line_offset = 1
    try:
        found = con.execute(f"SELECT file FROM glob({sql_path(source.path)})").fetchall()
        described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    except duckdb.Error as exc:
        raise describe_read_error(source, exc) from exc
    if found != [(str(source.path.absolute()),)]:
        raise DeliveryError(f"Bestand {source.relative}: DuckDB leest onder deze naam niet precies dit ene bestand.")
    zones: dict[str, str] = {}
    if source.format == "csv":
        raw_names = _csv_header(source)
    else:
        schema = _parquet_schema(source)
        raw_names, zones = schema.names, _parquet_zones(schema)
    if raw_names is not None:
        _check_header(source, raw_names)  # as written: DuckDB renames a second 'bsn' to 'bsn_1'
    _check_header(source, [row[0] for row in described])  # as DuckDB names them
    present = {_normal(row[0]): (row[0], row[1]) for row in described if row[0] != "file_row_number"}
    wanted = COLUMNS[source.extract]
    missing = [c for c in wanted if c not in present and c not in OPTIONAL[source.extract]]
    if missing:
        found = [name for name, _ in present.values()]
        if any(column in present for column in wanted):
            seen = f"gevonden kolommen: {', '.join(found)}."
        else:  # the first line may well be data (a file without header): never shown, it may hold a BSN
            seen = (f"de eerste regel noemt geen enkele kolom uit het contract ({len(found)} kolom(men)); "
                    "ontbreekt de kopregel?")
        hint = ""
        if len(found) == 1 and any(mark in found[0] for mark in (",", "\t", "|")):
            hint = " Het scheidingsteken is vermoedelijk niet ';'."
        raise DeliveryError(
            f"Bestand {source.relative}: verplichte kolom(men) ontbreken: {', '.join(missing)}; {seen}{hint}"
        )
    typed = TYPED.get(source.extract, {})
    selects = []
    for column in wanted:
        contract_type = typed.get(column)
        if column not in present:
            selects.append(f"CAST(NULL AS VARCHAR) AS {column}")
            if contract_type:
                selects.append(f"CAST(NULL AS {contract_type}) AS {column}_getypt")
            continue
        name, dtype = present[column]
        ident = '"' + name.replace('"', '""') + '"'
        if source.format == "parquet" and dtype.startswith("TIMESTAMP"):
            # the calendar date as written, in the column's own zone; a time of day stays text, which
            # the date rule rejects (as it rejects '2021-12-01 13:45:00' in a CSV file)
            local = _wall_clock(con, source, name, ident, dtype, zones)
            midnight = f"{local} = date_trunc('day', {local})"
            if contract_type == "DATE":
                selects.append(f"CASE WHEN NOT ({midnight}) THEN CAST({local} AS VARCHAR) END AS {column}")
                selects.append(f"CASE WHEN {midnight} THEN CAST({local} AS DATE) END AS {column}_getypt")
                continue
            selects.append(f"CASE WHEN {midnight} THEN CAST(CAST({local} AS DATE) AS VARCHAR) "
                           f"ELSE CAST({local} AS VARCHAR) END AS {column}")
            if contract_type:
                selects.append(f"CAST(NULL AS {contract_type}) AS {column}_getypt")
            continue
        if contract_type and source.format == "parquet" and _lossless(dtype, contract_type):
            selects.append(f"CAST(NULL AS VARCHAR) AS {column}")
            selects.append(f"{ident} AS {column}_getypt")
            continue
        if column in DECIMALS and source.format == "parquet" and dtype.startswith(_FRACTIONAL):
            selects.append(f"replace(CAST({ident} AS VARCHAR), '.', ',') AS {column}")  # the contract's mark
        else:
            selects.append(f"CAST({ident} AS VARCHAR) AS {column}")
        if contract_type:
            selects.append(f"CAST(NULL AS {contract_type}) AS {column}_getypt")
    row_number = "file_row_number" if source.format == "parquet" else "ordinality"
    ordinality = "" if source.format == "parquet" else " WITH ORDINALITY"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW bron AS SELECT {row_number} + {line_offset} AS regelnummer, "
        f"{', '.join(selects)} FROM {relation}{ordinality}"
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def describe_read_error(source: SourceFile, exc: BaseException) -> DeliveryError:
    """One sentence from DuckDB's multi-line reader error, naming the file."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = lines[0] if lines else type(exc).__name__
    message = message.replace("Invalid Input Error: ", "").replace("IO Error: ", "")
    detail = next((line for line in lines[1:] if not line.startswith(("Original Line", "Possible Solution", "file =",
                                                                       "delimiter", "quote", "escape", "new_line",
                                                                       "header", "skip", "comment", "date", "timestamp",
                                                                       "null", "sample", "ignore", "all_varchar")) ), "")
    lowered = str(exc).lower()
    sniffing = "error when sniffing file" in lowered  # (its text names the encoding tried: 'utf-8')
    if "unicode" in lowered or (not sniffing and ("utf-8" in lowered or "utf8" in lowered)):
        return DeliveryError(f"Bestand {source.relative}: het bestand is geen geldige UTF-8 ({message}).")
    if sniffing:  # every dialect option is fixed by the contract: the lines do not fit them
        return DeliveryError(
            f"Bestand {source.relative}: kan niet gelezen worden als CSV volgens het contract (';' als "
            "scheidingsteken, de kopregel op regel 1): de regels passen niet bij de kopregel (een ander aantal "
            "velden, of een aanhalingsteken dat niet sluit)."
        )
    return DeliveryError(f"Bestand {source.relative}: kan niet gelezen worden: {message}{'; ' + detail if detail else ''}")
