from dagster_dbt import DbtProject

from dagster_project import settings

dbt_project = DbtProject(project_dir=settings.DBT_DIR, profiles_dir=settings.DBT_DIR)
# Under `dagster dev` the manifest is rebuilt on load; `make` targets run `dbt parse` first.
dbt_project.prepare_if_dev()
