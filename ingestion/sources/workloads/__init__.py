"""The workload catalog: training runs and inference deployments users declare in YAML."""
