import dagster as dg

from dagster_project.settings import FEED_CREDENTIALS

FEEDS = list(FEED_CREDENTIALS)

# One partition per UTC day and feed: a refresh or a backfill of a date range is one request each.
feed_day_partitions = dg.MultiPartitionsDefinition({
    "date": dg.DailyPartitionsDefinition(start_date="2020-01-01", timezone="UTC", end_offset=1),
    "feed": dg.StaticPartitionsDefinition(FEEDS),
})
