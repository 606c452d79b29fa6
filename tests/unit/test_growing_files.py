"""Landing of logs that grow: appended bytes are landed once, a rewritten file starts a new
generation (the old one kept), and a landing killed at any point leaves a valid state."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingestion.growing_files import land_growing, landed_bytes
from tests.unit.test_logs import NVSMI


def landing_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.part"))


def test_24_hourly_appends_land_each_byte_once(tmp_path):
    log = tmp_path / "gpu01.csv"
    header, body = NVSMI.split("\n", 1)
    log.write_text(header + "\n")
    folder = tmp_path / "landing" / "gpu01.csv"
    written = [land_growing(log, folder).new_bytes]
    for hour in range(24):  # an hour of samples appended, then a refresh
        with open(log, "a") as handle:
            handle.write(body.replace("2024/05/14 10:", f"2024/05/14 {hour:02d}:") * 50)
        written.append(land_growing(log, folder).new_bytes)
    assert landed_bytes(folder) == log.read_bytes()
    assert sum(written) == log.stat().st_size  # every byte landed exactly once
    assert landing_size(folder) <= 1.1 * log.stat().st_size  # content-hash landing stored ~12.5x
    assert land_growing(log, folder).new_bytes == 0  # unchanged: nothing written


def test_a_rewritten_file_starts_a_new_generation_and_keeps_the_old(tmp_path):
    log = tmp_path / "jobs.txt"
    log.write_text("JobID|State\n1|COMPLETED\n2|COMPLETED\n")
    folder = tmp_path / "landing" / "jobs.txt"
    land_growing(log, folder)
    old = log.read_bytes()
    log.write_text("JobID|State\n1|FAILED\n2|COMPLETED\n3|COMPLETED\n")  # longer, but an old line changed
    landed = land_growing(log, folder)
    assert landed.rewritten and landed.generation == 2 and landed.new_bytes == log.stat().st_size
    assert landed_bytes(folder) == log.read_bytes() and landed_bytes(folder, 1) == old
    log.write_text("JobID|State\n")  # truncated: rewritten again
    assert land_growing(log, folder).generation == 3


KILLED_LANDING = """
import sys, time
from pathlib import Path
from ingestion import growing_files
real = growing_files._write_atomically
def slow(path, data):  # a slow disk: the kill lands between writing a part and writing the state
    real(path, data)
    time.sleep(0.05)
growing_files._write_atomically = slow
log, folder = Path(sys.argv[1]), Path(sys.argv[2])
while True:
    with open(log, "a") as handle:
        handle.write("2024/05/14 10:00:00.000, NVIDIA A100-SXM4-80GB, 0, 300 W, 50 %\\n")
    growing_files.land_growing(log, folder)
"""


def test_a_landing_killed_at_any_point_leaves_a_state_that_matches_the_file(tmp_path):
    log, folder = tmp_path / "gpu02.csv", tmp_path / "landing" / "gpu02.csv"
    log.write_text("timestamp, name, index, power.draw [W], utilization.gpu [%]\n")
    for delay in (0.4, 0.53, 0.61, 0.77, 0.9):
        process = subprocess.Popen([sys.executable, "-c", KILLED_LANDING, str(log), str(folder)],
                                   cwd=Path(__file__).parents[2])
        time.sleep(delay + 0.5)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        landed = landed_bytes(folder) if (folder / "state.json").exists() else b""
        assert log.read_bytes().startswith(landed)  # what the state lists is a true prefix of the file
        land_growing(log, folder)
        assert landed_bytes(folder) == log.read_bytes()
        assert not list(folder.glob(".*partial"))
    assert land_growing(log, folder).generation == 1  # appends only: never taken for a rewrite
