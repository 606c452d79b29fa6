import datetime as dt

import dagster as dg

from dagster_project import settings
from dagster_project.defs.grid.jobs import rebuild_after_refresh, refresh_grid_feeds
from dagster_project.defs.grid.marginal_assets import refresh_marginal


@dg.schedule(job=refresh_grid_feeds, cron_schedule="5 * * * *", execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.STOPPED,
             description="Every hour: refresh today and yesterday (UTC) of every enabled feed. Feeds "
                         "whose credential is not set are left out, with a line in the tick's log.")
def hourly_grid_refresh(context: dg.ScheduleEvaluationContext):
    now = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    days = [now.date() - dt.timedelta(days=1), now.date()]
    enabled = settings.enabled_feeds()
    skipped = sorted(set(settings.FEED_CREDENTIALS) - set(enabled))
    if skipped:
        context.log.info(f"skipping feeds without credentials: {', '.join(skipped)}")
    return [
        dg.RunRequest(
            run_key=f"{feed}|{day}|{now:%Y%m%dT%H}",
            partition_key=dg.MultiPartitionKey({"date": day.isoformat(), "feed": feed}),
        )
        for feed in enabled for day in days
    ]



@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[refresh_grid_feeds, refresh_marginal],
                      request_job=rebuild_after_refresh, default_status=dg.DefaultSensorStatus.RUNNING,
                      description="After each successful feed refresh (hourly feeds, WattTime), rebuild what "
                                  "depends on the feeds (hourly and forecast marts, replays, siting, checks) "
                                  "and publish.")
def follow_grid_refresh(context: dg.RunStatusSensorContext):
    # One rebuild per refresh run; the writer pool runs them one at a time.
    return dg.RunRequest(run_key=f"after-{context.dagster_run.run_id}")
