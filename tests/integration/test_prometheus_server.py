"""The Prometheus client against a real Prometheus server (Debian's `prometheus` package, which
`make test` installs where absent) scraping a local exporter that serves DCGM exporter exposition text
(the metric names and labels of the exporter's default counters: power in W, energy since boot in mJ)
every half second. The energy from the counter equals the energy from the power samples."""

import datetime as dt
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from ingestion.core.telemetry import counter_intervals, energy_j, power_intervals
from ingestion.http import FeedHTTP
from ingestion.sources.telemetry.prometheus import PrometheusClient

PROMETHEUS = shutil.which("prometheus")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(
    PROMETHEUS is None, reason="*** prometheus is not installed (Debian package prometheus, which make test "
                               "installs): the tests against a real Prometheus are SKIPPED ***")]
WATTS = {"0": 250.0, "1": 100.0}  # GPU 0 serves vllm-0; GPU 1 idles under vllm-1
BOOT_MJ = 9_000_000_000.0  # energy since boot when the exporter starts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DcgmExporter(BaseHTTPRequestHandler):
    """/metrics as dcgm-exporter writes it, the counters rising at the stated power since `started`."""

    started = time.time()

    def do_GET(self):  # noqa: N802 (http.server's name)
        elapsed = time.time() - self.started
        lines = ["# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).", "# TYPE DCGM_FI_DEV_POWER_USAGE gauge",
                 "# HELP DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION Total energy consumption since boot (in mJ).",
                 "# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter"]
        for gpu, watts in WATTS.items():
            labels = (f'gpu="{gpu}",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e5{gpu}",device="nvidia{gpu}",'
                      f'modelName="NVIDIA H100 80GB HBM3",Hostname="node-1",container="vllm",'
                      f'namespace="serving",pod="vllm-{gpu}"')
            lines += [f"DCGM_FI_DEV_POWER_USAGE{{{labels}}} {watts}",
                      f"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{{{labels}}} {BOOT_MJ + watts * 1000 * elapsed:.0f}"]
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    """A real Prometheus scraping the exporter every half second, once it holds 8 s of scrapes."""
    folder = tmp_path_factory.mktemp("prometheus")
    exporter = ThreadingHTTPServer(("127.0.0.1", free_port()), DcgmExporter)
    threading.Thread(target=exporter.serve_forever, daemon=True).start()
    port = free_port()
    (folder / "prometheus.yml").write_text(
        "global: {scrape_interval: 500ms, evaluation_interval: 1s}\n"
        "scrape_configs:\n"
        f"  - job_name: dcgm\n    static_configs: [{{targets: ['127.0.0.1:{exporter.server_address[1]}']}}]\n")
    server = subprocess.Popen([PROMETHEUS, f"--config.file={folder / 'prometheus.yml'}",
                               f"--storage.tsdb.path={folder / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
                               "--log.level=warn"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(f"{url}/-/ready", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            pytest.fail(f"prometheus did not start: {server.stderr.read1().decode() if server.poll() else 'no answer'}")
        while time.time() < deadline + 30:  # the first scrape comes a moment after start: wait for 8 s of them
            answer = requests.get(f"{url}/api/v1/query", params={"query": "count_over_time(up[1m])"}, timeout=2)
            result = answer.json()["data"]["result"]
            if result and float(result[0]["value"][1]) >= 16:
                break
            time.sleep(0.5)
        else:
            pytest.fail("prometheus scraped the exporter fewer than 16 times in a minute")
        yield url, dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=7)
    finally:
        server.terminate()
        server.wait(timeout=10)
        exporter.shutdown()


def test_energy_from_the_counter_equals_energy_from_power_on_a_real_prometheus(prometheus, tmp_path):
    url, began = prometheus
    client = PrometheusClient(FeedHTTP("prometheus", retries=1, backoff_s=0.1, timeout_s=10), url)
    start = began + dt.timedelta(seconds=2)
    end = dt.datetime.now(dt.UTC).replace(tzinfo=None).replace(microsecond=0)
    power = client.query_range("DCGM_FI_DEV_POWER_USAGE", start, end, 1, landing_dir=tmp_path, day=start.date(),
                               label="power").samples
    counter = client.query_range("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", start, end, 1, landing_dir=tmp_path,
                                 day=start.date(), label="energy").samples
    assert power["series"].n_unique() == counter["series"].n_unique() == 2
    assert power.height >= 8  # a point a second over the range, each series
    by_power = power_intervals(power, 1)
    by_counter = counter_intervals(counter, 1, joules_per_unit=0.001)
    for gpu, watts in WATTS.items():
        series = next(s for s in power["series"].unique() if f"gpu={gpu}," in s)
        from_power = energy_j(by_power.filter(by_power["series"] == series))
        points = power.filter(power["series"] == series).height
        assert from_power == pytest.approx(watts * points)  # each point stands for one step
        counter_series = series.replace("DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")
        from_counter = energy_j(by_counter.filter(by_counter["series"] == counter_series))
        # the counter's increments sum to the rise between the first and last scrapes the grid reads:
        # within a step of the power integral
        assert from_counter == pytest.approx(from_power, abs=2 * watts)
    assert "pod=vllm-0" in power["series"][0] + power["series"][1] and "namespace=serving" in power["series"][0]
    landed = sorted(p.name for p in (tmp_path / "prometheus").rglob("*.json"))
    assert [n.split("__")[0] for n in landed] == ["energy", "power"]  # every answer landed before parsing


def test_the_partitioned_asset_reads_a_source_day_from_a_real_prometheus(prometheus, warehouse_env, monkeypatch,
                                                                        tmp_path):
    """raw/telemetry_gpu_energy, one partition per UTC day and source: the day asked of the real server,
    each answer landed, the hours written per pod with their method; a second read replaces the day."""
    import dagster as dg
    import duckdb
    from dagster_duckdb import DuckDBResource

    from dagster_project.defs.telemetry.live_assets import TELEMETRY_SOURCES, PrometheusFeed, telemetry_day

    url, _ = prometheus
    folder = tmp_path / "telemetry" / "live-test"
    folder.mkdir(parents=True)
    today = dt.datetime.now(dt.UTC).date()
    (folder / "source.yaml").write_text(f"url: {url}\nzone: DE\nstep_s: 10\nstart_date: {today}\n")
    monkeypatch.setenv("FOOTPRINT_TELEMETRY_DIR", str(tmp_path / "telemetry"))
    warehouse_env["warehouse"].parent.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(TELEMETRY_SOURCES.name, ["live-test"])
    resources = {"duckdb": DuckDBResource(database=str(warehouse_env["warehouse"])),
                 "prometheus_feed": PrometheusFeed(retries=1, backoff_s=0.1, timeout_s=10)}
    key = dg.MultiPartitionKey({"date": today.isoformat(), "source": "live-test"})
    for _ in range(2):
        assert dg.materialize([telemetry_day], partition_key=key, resources=resources, instance=instance).success
    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        rows = conn.execute("select pod, method, attribution, sum(energy_kwh), count(distinct loaded_at) "
                            "from raw.telemetry_gpu_energy group by all order by pod").fetchall()
    assert [(pod, method, attribution) for pod, method, attribution, *_ in rows] == [
        ("vllm-0", "counter", "whole GPU"), ("vllm-1", "counter", "whole GPU")]
    assert rows[0][3] > rows[1][3] > 0  # 250 W against 100 W
    assert all(loads == 1 for *_, loads in rows)  # the second read replaced the day, it did not add to it
    assert list((warehouse_env["landing"] / "prometheus" / today.isoformat()).glob("live-test_energy__*.json"))
