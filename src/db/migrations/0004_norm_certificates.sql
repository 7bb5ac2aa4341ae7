-- The norm, the monthly verdicts and the Cyberkeurmerk (issue 5).

-- A programme may want a coordinator to approve each certificate before it is issued.
ALTER TABLE programmes ADD COLUMN certificate_approval_required boolean NOT NULL DEFAULT false;

-- The monthly rule asks per day whether the platform completed any scan (outage days) and which
-- scans of one company failed; without these each question would read every scan of the month.
CREATE INDEX scans_completed_started_idx ON scans (started_at) WHERE status = 'completed';
CREATE INDEX scans_org_started_idx ON scans (organisation_id, started_at);

-- One verdict per company and calendar month (in the norm's time zone), judged once by the
-- monthly job and never re-judged: it records the norm version and check versions it used.
CREATE TABLE monthly_results (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  month           text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  norm_id         text NOT NULL,
  norm_version    text NOT NULL,
  status          text NOT NULL CHECK (status IN ('compliant', 'non_compliant', 'not_assessed')),
  score           integer CHECK (score BETWEEN 0 AND 100),
  grade           text CHECK (grade IN ('A', 'B', 'C', 'D', 'E', 'F')),
  -- Consecutive compliant months ending with this one (the certificate streak).
  streak          integer NOT NULL CHECK (streak >= 0),
  coverage        jsonb NOT NULL,
  problems        jsonb NOT NULL DEFAULT '[]',
  open_failures   jsonb NOT NULL DEFAULT '[]',
  area_scores     jsonb NOT NULL DEFAULT '[]',
  control_scores  jsonb NOT NULL DEFAULT '[]',
  measured_areas  jsonb NOT NULL DEFAULT '[]',
  check_versions  jsonb NOT NULL DEFAULT '{}',
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, month)
);

-- Risks a company's director accepted on advisory controls: with a reason, an expiry and who.
-- Never for a mandatory control (enforced in src/norm/accepted-risks; the norm decides which is which).
CREATE TABLE accepted_risks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  control_id      text NOT NULL,
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  accepted_by     uuid REFERENCES users(id) ON DELETE SET NULL,
  accepted_at     timestamptz NOT NULL DEFAULT now(),
  expires_on      date NOT NULL,
  withdrawn_at    timestamptz,
  withdrawn_by    uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX accepted_risks_org_idx ON accepted_risks (organisation_id);
CREATE UNIQUE INDEX accepted_risks_open_idx ON accepted_risks (organisation_id, control_id) WHERE withdrawn_at IS NULL;

-- The public halves of every key that ever signed a certificate (published at
-- /.well-known/cyberkeurmerk-keys.json; a retired key stays so old certificates still verify).
CREATE TABLE certificate_signing_keys (
  key_id     text PRIMARY KEY,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);

CREATE TABLE certificates (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id         uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  programme_id            uuid NOT NULL REFERENCES programmes(id),
  norm_id                 text NOT NULL,
  norm_version            text NOT NULL,
  level                   text NOT NULL,
  state                   text NOT NULL
                          CHECK (state IN ('pending_approval', 'issued', 'warned', 'renewed', 'lapsed', 'revoked', 'expired')),
  -- The month whose judgement issued it.
  earned_in_month         text NOT NULL,
  valid_from              date NOT NULL,
  valid_until             date NOT NULL CHECK (valid_until >= valid_from),
  measured_areas          jsonb NOT NULL DEFAULT '[]',
  not_measured_areas      jsonb NOT NULL DEFAULT '[]',
  previous_certificate_id uuid REFERENCES certificates(id),
  -- Signed when issued (not while pending approval): the statement, its signature and the PDF.
  statement               jsonb,
  signature               text,
  key_id                  text REFERENCES certificate_signing_keys(key_id),
  document                bytea,
  issued_at               timestamptz,
  approved_by             uuid REFERENCES users(id) ON DELETE SET NULL,
  approved_at             timestamptz,
  revoked_by              uuid REFERENCES users(id) ON DELETE SET NULL,
  revoked_at              timestamptz,
  revocation_reason       text,
  warned_at               timestamptz,
  ended_at                timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'revoked') = (revoked_at IS NOT NULL AND revocation_reason IS NOT NULL)),
  CHECK (issued_at IS NULL OR (statement IS NOT NULL AND signature IS NOT NULL AND document IS NOT NULL AND key_id IS NOT NULL)),
  CHECK (state NOT IN ('issued', 'warned', 'renewed', 'expired') OR issued_at IS NOT NULL)
);
CREATE INDEX certificates_org_idx ON certificates (organisation_id, created_at DESC);
-- At most one current certificate per company.
CREATE UNIQUE INDEX certificates_live_idx ON certificates (organisation_id) WHERE state IN ('pending_approval', 'issued', 'warned');
