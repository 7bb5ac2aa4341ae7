-- Foundation schema: programme, tenants, people, assets, scans, evidence, results, security.
-- Identifiers are UUIDs so that ids in URLs say nothing about how many rows exist.

CREATE TABLE programmes (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              text NOT NULL,
  region            text NOT NULL,
  goal_companies    integer CHECK (goal_companies >= 0),
  goal_certificates integer CHECK (goal_certificates >= 0),
  goal_months       integer CHECK (goal_months > 0),
  starts_on         date,
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- IT partners are companies too: their users see only the organisations they serve.
CREATE TABLE partners (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  programme_id uuid NOT NULL REFERENCES programmes(id),
  name         text NOT NULL,
  kvk_number   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE insurers (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email           text NOT NULL UNIQUE CHECK (email = lower(email)),
  name            text NOT NULL,
  password_hash   text,
  totp_secret     text,
  totp_enabled_at timestamptz,
  status          text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
  language        text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  last_login_at   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organisations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  programme_id    uuid NOT NULL REFERENCES programmes(id),
  name            text NOT NULL,
  kvk_number      text NOT NULL CHECK (kvk_number ~ '^[0-9]{8}$'),
  sector          text,
  size_class      text CHECK (size_class IN ('1-9', '10-49', '50-249', '250+')),
  street          text,
  postal_code     text,
  city            text,
  status          text NOT NULL DEFAULT 'aangemeld'
                  CHECK (status IN ('aangemeld', 'aangesloten', 'gemonitord', 'voldoet', 'gecertificeerd')),
  it_partner_id   uuid REFERENCES partners(id),
  student_user_id uuid REFERENCES users(id),
  -- Minute of the day (Europe/Amsterdam) at which the daily monitoring of this company runs:
  -- spreads the load over the day instead of scanning everyone at midnight.
  schedule_minute integer NOT NULL CHECK (schedule_minute BETWEEN 0 AND 1439),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme_id, kvk_number)
);
CREATE INDEX organisations_partner_idx ON organisations (it_partner_id);
CREATE INDEX organisations_student_idx ON organisations (student_user_id);

-- A user's roles; the scope columns that a role needs are enforced here, not only in code.
CREATE TABLE memberships (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role            text NOT NULL CHECK (role IN ('platform_admin', 'coordinator', 'it_partner', 'student',
                                                'director', 'contact_it', 'contact_hr', 'contact_web', 'insurer')),
  programme_id    uuid REFERENCES programmes(id),
  partner_id      uuid REFERENCES partners(id),
  insurer_id      uuid REFERENCES insurers(id),
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (
    (role = 'platform_admin' AND programme_id IS NULL AND partner_id IS NULL AND insurer_id IS NULL AND organisation_id IS NULL)
    OR (role = 'coordinator' AND programme_id IS NOT NULL AND partner_id IS NULL AND insurer_id IS NULL AND organisation_id IS NULL)
    OR (role = 'it_partner' AND partner_id IS NOT NULL AND insurer_id IS NULL AND organisation_id IS NULL)
    OR (role = 'student' AND programme_id IS NOT NULL AND partner_id IS NULL AND insurer_id IS NULL AND organisation_id IS NULL)
    OR (role = 'insurer' AND insurer_id IS NOT NULL AND partner_id IS NULL AND organisation_id IS NULL)
    OR (role IN ('director', 'contact_it', 'contact_hr', 'contact_web') AND organisation_id IS NOT NULL
        AND partner_id IS NULL AND insurer_id IS NULL)
  )
);
CREATE INDEX memberships_user_idx ON memberships (user_id);
CREATE UNIQUE INDEX memberships_unique_idx ON memberships (
  user_id, role,
  coalesce(programme_id, '00000000-0000-0000-0000-000000000000'),
  coalesce(partner_id, '00000000-0000-0000-0000-000000000000'),
  coalesce(insurer_id, '00000000-0000-0000-0000-000000000000'),
  coalesce(organisation_id, '00000000-0000-0000-0000-000000000000')
);

CREATE TABLE organisation_contacts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  role            text NOT NULL CHECK (role IN ('director', 'it', 'hr', 'web')),
  name            text NOT NULL,
  email           text NOT NULL,
  phone           text,
  user_id         uuid REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, role)
);

-- Consents an organisation gives (to share its data with an insurer, to publish its certificate,
-- to be probed actively). A revoked consent keeps its row for the audit trail.
CREATE TABLE consents (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('insurer_data_sharing', 'public_certificate', 'active_scanning')),
  insurer_id      uuid REFERENCES insurers(id),
  granted_by      uuid REFERENCES users(id),
  granted_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  CHECK ((kind = 'insurer_data_sharing') = (insurer_id IS NOT NULL))
);
CREATE INDEX consents_org_idx ON consents (organisation_id);

CREATE TABLE assets (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id    uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind               text NOT NULL CHECK (kind IN ('domain', 'ip_address', 'device', 'person')),
  value              text NOT NULL,
  verification_state text NOT NULL DEFAULT 'unverified'
                     CHECK (verification_state IN ('unverified', 'verified', 'attested')),
  verification_token text NOT NULL,
  verified_at        timestamptz,
  created_by         uuid REFERENCES users(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, kind, value)
);

CREATE TABLE scans (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  asset_id        uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  -- The queue job that produced the scan: a retried job finds its scan and never stores twice.
  job_id          text UNIQUE,
  trigger         text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  error           text
);
CREATE INDEX scans_asset_idx ON scans (asset_id, started_at DESC);

-- Evidence as gathered, so a new check or norm version can judge it again without re-scanning.
CREATE TABLE evidence (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scan_id     uuid NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  data        jsonb NOT NULL,
  gathered_at timestamptz NOT NULL,
  UNIQUE (scan_id, kind)
);

-- Current state per (organisation, asset, check).
CREATE TABLE check_results (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  asset_id        uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  check_id        text NOT NULL,
  check_version   integer NOT NULL,
  status          text NOT NULL CHECK (status IN ('pass', 'notice', 'warn', 'fail', 'info', 'error')),
  severity        text NOT NULL,
  summary_key     text NOT NULL,
  summary_params  jsonb NOT NULL DEFAULT '{}',
  details         jsonb NOT NULL DEFAULT '{}',
  previous_status text,
  first_seen_at   timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  resolved_at     timestamptz,
  last_scan_id    uuid NOT NULL REFERENCES scans(id),
  PRIMARY KEY (organisation_id, asset_id, check_id)
);

-- Append-only history for trends, monthly reports and "newly failing" alerts.
CREATE TABLE check_result_history (
  id              bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  asset_id        uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  check_id        text NOT NULL,
  check_version   integer NOT NULL,
  scan_id         uuid NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  status          text NOT NULL,
  severity        text NOT NULL,
  summary_key     text NOT NULL,
  summary_params  jsonb NOT NULL DEFAULT '{}',
  observed_at     timestamptz NOT NULL,
  UNIQUE (scan_id, asset_id, check_id)
);
CREATE INDEX check_result_history_org_idx ON check_result_history (organisation_id, observed_at);

CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  -- false until the second factor was given (or enrolment is still to come).
  mfa_passed   boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Single-use tokens (first setup, invitations, password resets); only their hash is stored.
CREATE TABLE one_time_tokens (
  token_hash text PRIMARY KEY,
  purpose    text NOT NULL CHECK (purpose IN ('setup', 'invitation', 'password_reset')),
  user_id    uuid REFERENCES users(id) ON DELETE CASCADE,
  data       jsonb NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

CREATE TABLE audit_log (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor_user_id   uuid REFERENCES users(id) ON DELETE SET NULL,
  action          text NOT NULL,
  subject_type    text,
  subject_id      text,
  organisation_id uuid REFERENCES organisations(id) ON DELETE SET NULL,
  ip              text,
  details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
