"""The Kubernetes samples in deploy/kubernetes/ cannot run here (no cluster, no Postgres, no helm):
they are parsed, and what the warehouse needs of any deployment is checked in them."""

import re

import yaml

from tests.conftest import REPO

DEPLOY = REPO / "deploy" / "kubernetes"


def test_the_instance_sample_keeps_one_writer_and_runs_each_run_as_a_kubernetes_job():
    instance = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    assert instance["run_launcher"]["module"] == "dagster_k8s" and instance["run_launcher"]["class"] == "K8sRunLauncher"
    assert set(instance["storage"]["postgres"]["postgres_db"]) >= {"hostname", "username", "password", "db_name"}
    assert instance["storage"]["postgres"]["postgres_db"]["password"] == {"env": "DAGSTER_PG_PASSWORD"}
    assert instance["concurrency"]["pools"] == {"default_limit": 1, "granularity": "op"}  # DuckDB: one writer
    launcher = instance["run_launcher"]["config"]
    assert launcher["env_secrets"] and "footprint-settings" in launcher["env_config_maps"]
    mounts = {m["name"]: m["mountPath"] for m in launcher["volume_mounts"]}
    assert mounts == {"warehouse": "/data"} and [v["name"] for v in launcher["volumes"]] == ["warehouse"]


def test_the_helm_values_match_the_instance_sample_and_the_settings():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    instance = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"][:2] == ["--module-name", "dagster_project.definitions"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher" and values["postgresql"]["enabled"] is False
    assert values["concurrency"]["pools"]["defaultLimit"] == instance["concurrency"]["pools"]["default_limit"]
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    for part in (deployment, launcher):  # code servers and run pods see the same volume and settings
        assert [m["mountPath"] for m in part["volumeMounts"]] == ["/data"]
        assert [c["name"] for c in part["envConfigMaps"]] == ["footprint-settings"]
    # every FOOTPRINT_* variable the sample sets is one settings.py reads
    settings = (REPO / "dagster_project" / "settings.py").read_text()
    named = set(re.findall(r"FOOTPRINT_[A-Z_]+", (DEPLOY / "values.yaml").read_text()))
    assert named and all(f'"{name}"' in settings for name in named), named
