"""The Prometheus client against a real Prometheus server (Debian's `prometheus` package, which
`make test` installs where absent) scraping a local exporter every half second. It serves DCGM exporter
exposition text at /metrics (the metric names and labels of the exporter's default counters: power in
W, energy since boot in mJ) and Kepler 0.11's pod GPU metrics at /kepler (J and W, `state` going from
running to terminated when a pod ends), on a timeline with a counter reset and a gap in scraping."""

import datetime as dt
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import polars as pl
import pytest
import requests

from ingestion.core.telemetry import counter_intervals, energy_j, power_intervals
from ingestion.http import FeedHTTP
from ingestion.sources.telemetry.fleet import energy_hourly
from ingestion.sources.telemetry.prometheus import PrometheusClient
from ingestion.sources.telemetry.source import PrometheusSource

PROMETHEUS = shutil.which("prometheus")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(
    PROMETHEUS is None, reason="*** prometheus is not installed (Debian package prometheus, which make test "
                               "installs): the tests against a real Prometheus are SKIPPED ***")]
WATTS = {"0": 250.0, "1": 100.0}  # GPU 0 serves vllm-0; GPU 1 idles under vllm-1
BOOT_MJ = 9_000_000_000.0  # energy since boot when the exporter starts
# the exporter's timeline, seconds since it started: the DCGM counters restart from zero at RESET_S (a
# driver reload), its scrapes fail from GAP_S for GAP_LENGTH_S (longer than the counter may bridge at a
# 1 s step), and Kepler's second pod ends at POD_ENDS_S
RESET_S, GAP_S, GAP_LENGTH_S, POD_ENDS_S, RUN_S = 6.0, 10.0, 7.0, 5.0, 21.0
KEPLER_WATTS = {"llama-0": 300.0, "embed-1": 50.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Exporters(BaseHTTPRequestHandler):
    """/metrics as dcgm-exporter writes it and /kepler as Kepler does, the counters rising at the stated
    power since `started`, on the timeline above, which starts at the first scrape (Prometheus starts
    scraping a few seconds after it is ready: its target discovery updates every 5 s)."""

    started: float | None = None
    first_scrape = threading.Lock()

    def do_GET(self):  # noqa: N802 (http.server's name)
        with self.first_scrape:
            if Exporters.started is None:
                Exporters.started = time.time()
        elapsed = time.time() - self.started
        if GAP_S <= elapsed < GAP_S + GAP_LENGTH_S:
            self.send_error(503, "exporter restarting")  # a failed scrape: Prometheus marks the series stale
            return
        body = (self.kepler(elapsed) if self.path == "/kepler" else self.dcgm(elapsed)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def dcgm(elapsed: float) -> str:
        since_boot = elapsed - RESET_S if elapsed >= RESET_S else elapsed
        lines = ["# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).", "# TYPE DCGM_FI_DEV_POWER_USAGE gauge",
                 "# HELP DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION Total energy consumption since boot (in mJ).",
                 "# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter"]
        for gpu, watts in WATTS.items():
            labels = (f'gpu="{gpu}",UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e5{gpu}",device="nvidia{gpu}",'
                      f'modelName="NVIDIA H100 80GB HBM3",Hostname="node-1",container="vllm",'
                      f'namespace="serving",pod="vllm-{gpu}"')
            boot = BOOT_MJ if elapsed < RESET_S else 0.0
            lines += [f"DCGM_FI_DEV_POWER_USAGE{{{labels}}} {watts}",
                      f"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{{{labels}}} {boot + watts * 1000 * since_boot:.0f}"]
        return "\n".join(lines) + "\n"

    @staticmethod
    def kepler(elapsed: float) -> str:
        lines = ["# HELP kepler_pod_gpu_joules_total Energy consumption of gpu at pod level in joules",
                 "# TYPE kepler_pod_gpu_joules_total counter",
                 "# HELP kepler_pod_gpu_watts Power consumption of gpu at pod level in watts",
                 "# TYPE kepler_pod_gpu_watts gauge"]
        for number, (pod, watts) in enumerate(KEPLER_WATTS.items()):
            ended = pod == "embed-1" and elapsed >= POD_ENDS_S
            labels = (f'node_name="node-2",pod_id="0b5e7c3a-51d2-4c6e-9f0a-7d1c2b3a4e5{number}",pod_name="{pod}",'
                      f'pod_namespace="inference",state="{"terminated" if ended else "running"}"')
            joules = watts * (POD_ENDS_S if ended else elapsed)
            lines += [f"kepler_pod_gpu_joules_total{{{labels}}} {joules:.3f}",
                      f"kepler_pod_gpu_watts{{{labels}}} {0.0 if ended else watts}"]
        return "\n".join(lines) + "\n"

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    """A real Prometheus scraping both exporters every half second, once the exporters' timeline has run
    (RUN_S); yields its URL and the moment (naive UTC) the exporters started."""
    folder = tmp_path_factory.mktemp("prometheus")
    exporter = ThreadingHTTPServer(("127.0.0.1", free_port()), Exporters)
    threading.Thread(target=exporter.serve_forever, daemon=True).start()
    target = f"['127.0.0.1:{exporter.server_address[1]}']"
    port = free_port()
    (folder / "prometheus.yml").write_text(
        "global: {scrape_interval: 500ms, evaluation_interval: 1s}\n"
        "scrape_configs:\n"
        f"  - job_name: dcgm\n    static_configs: [{{targets: {target}}}]\n"
        f"  - job_name: kepler\n    metrics_path: /kepler\n    static_configs: [{{targets: {target}}}]\n")
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
        while Exporters.started is None and time.time() < deadline + 30:
            time.sleep(0.2)
        if Exporters.started is None:
            pytest.fail("prometheus did not scrape the exporters within a minute")
        time.sleep(Exporters.started + RUN_S + 1 - time.time())
        answer = requests.get(f"{url}/api/v1/query", params={"query": "count_over_time(up[1m])"}, timeout=2)
        scrapes = sorted(float(r["value"][1]) for r in answer.json()["data"]["result"])
        if len(scrapes) != 2 or scrapes[0] < 2 * RUN_S - 4:
            pytest.fail(f"prometheus scraped the exporters {scrapes} times in {RUN_S} s, not every half second")
        yield url, dt.datetime.fromtimestamp(Exporters.started, dt.UTC).replace(tzinfo=None)
    finally:
        server.terminate()
        server.wait(timeout=10)
        exporter.shutdown()


def at(started: dt.datetime, seconds: float) -> dt.datetime:
    return (started + dt.timedelta(seconds=seconds)).replace(microsecond=0)


def test_energy_from_the_counter_equals_energy_from_power_across_a_reset_and_a_gap(prometheus, tmp_path):
    """The DCGM counters restart at RESET_S and the scrapes fail for GAP_LENGTH_S: the reset counts the
    energy after it, the gap is billed by neither method, and both give the same energy."""
    url, started = prometheus
    client = PrometheusClient(FeedHTTP("prometheus", retries=1, backoff_s=0.1, timeout_s=10), url)
    start, end = at(started, 2), at(started, RUN_S)
    power = client.query_range("DCGM_FI_DEV_POWER_USAGE", start, end, 1, landing_dir=tmp_path, day=start.date(),
                               label="power").samples
    counter = client.query_range("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", start, end, 1, landing_dir=tmp_path,
                                 day=start.date(), label="energy").samples
    assert power["series"].n_unique() == counter["series"].n_unique() == 2
    in_gap = power.filter(power["ts"].is_between(at(started, GAP_S + 1.5), at(started, GAP_S + GAP_LENGTH_S - 1)))
    assert in_gap.is_empty()  # the failed scrapes left the series stale: no point stands for the gap
    span_s = (end - start).total_seconds()
    assert 2 * (span_s - GAP_LENGTH_S - 2) <= power.height <= 2 * (span_s - GAP_LENGTH_S + 3)
    by_power = power_intervals(power, 1)
    by_counter = counter_intervals(counter, 1, joules_per_unit=0.001)
    assert by_counter.filter("is_reset")["series"].n_unique() == 2  # each GPU's counter restarted once
    assert by_counter.filter("is_reset").height == 2
    assert by_counter["interval_s"].max() <= 5  # the interval across the gap is not bridged
    for gpu, watts in WATTS.items():
        series = next(s for s in power["series"].unique() if f"gpu={gpu}," in s)
        from_power = energy_j(by_power.filter(by_power["series"] == series))
        points = power.filter(power["series"] == series).height
        assert from_power == pytest.approx(watts * points)  # each point stands for one step
        counter_series = series.replace("DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")
        from_counter = energy_j(by_counter.filter(by_counter["series"] == counter_series))
        # within a step at each edge: the range's ends, the reset, the gap's two sides
        assert from_counter == pytest.approx(from_power, abs=4 * watts)
        assert from_counter < watts * (span_s - GAP_LENGTH_S + 2)  # the gap was not billed from the counter
    assert "pod=vllm-0" in power["series"][0] + power["series"][1] and "namespace=serving" in power["series"][0]
    landed = sorted(p.name for p in (tmp_path / "prometheus").rglob("*.json"))
    assert [n.split("__")[0] for n in landed] == ["energy", "power"]  # every answer landed before parsing


def test_kepler_pods_are_priced_per_pod_and_a_pod_that_ends_is_counted_once(prometheus, tmp_path):
    """Kepler's pod GPU metrics read from the real server and priced as a fleet day: per pod, from the
    counter; the pod whose `state` turns to terminated mid-range is one series, not a duplicate."""
    url, started = prometheus
    source = PrometheusSource(name="kepler-test", url=url, exporter="kepler", zone="DE", step_s=1,
                              start_date=started.date())
    client = PrometheusClient(FeedHTTP("prometheus", retries=1, backoff_s=0.1, timeout_s=10), url)
    # before the gap; the range's last point (at least 8 s in) comes seconds after the pod ended, so a
    # scrape delayed on a busy machine still shows the terminated series
    start, end = at(started, 2), at(started, GAP_S)
    answers = {kind: client.query_range(source.query(kind), start, end, 1, landing_dir=tmp_path, day=start.date(),
                                        label=kind).samples for kind in ("energy", "power")}
    assert answers["energy"]["series"].n_unique() == 3  # embed-1 running, embed-1 terminated, llama-0
    day = energy_hourly(answers["energy"], answers["power"], source)
    assert day.rejections == []
    per_pod = {row["pod"]: row for row in day.hourly.group_by("pod", "namespace", "host", "method", "attribution")
               .agg(pl.col("energy_kwh").sum()).to_dicts()}
    assert sorted(per_pod) == ["embed-1", "llama-0"]
    assert {(r["namespace"], r["host"], r["method"], r["attribution"]) for r in per_pod.values()} == {
        ("inference", "node-2", "counter", "whole GPU")}
    span_s = (end - start).total_seconds()
    assert per_pod["llama-0"]["energy_kwh"] * 3.6e6 == pytest.approx(300 * span_s, abs=2 * 300)
    ran_s = POD_ENDS_S - 2  # embed-1 drew 50 W from the range's start until it ended, then nothing
    assert per_pod["embed-1"]["energy_kwh"] * 3.6e6 == pytest.approx(50 * ran_s, abs=2 * 50)


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
