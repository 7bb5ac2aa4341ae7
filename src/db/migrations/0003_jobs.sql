-- Job system additions: the daily schedule's bookkeeping.

-- One row per domain and local day that the schedule dispatched a scan for: a domain is scanned
-- at most once per local day by the schedule, however often (or on however many workers) the
-- dispatch runs. Written in the same transaction as the queued job.
CREATE TABLE scheduled_scan_dispatches (
  asset_id      uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  local_date    date NOT NULL,
  job_id        text NOT NULL,
  dispatched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (asset_id, local_date)
);
CREATE INDEX scheduled_scan_dispatches_date_idx ON scheduled_scan_dispatches (local_date);

-- Up to which instant a schedule has been dispatched, so that a late or missed run catches up on
-- the slots it missed (bounded to a day) instead of skipping them. The row is locked while a
-- dispatch runs, which also keeps two workers from dispatching at the same time.
CREATE TABLE schedule_dispatch_state (
  schedule         text PRIMARY KEY,
  dispatched_until timestamptz NOT NULL
);
