-- Loyalty: merchants, staff, programmes, members, the points ledger and its projections. Same SQL on both providers.
-- Conventions (docs/platform.md): ids TEXT, instants TEXT in Sql.TimeFormat, money in integer cents, units (points,
-- stamps, cashback cents) BIGINT.

CREATE TABLE loyalty_merchants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    qr_key TEXT NOT NULL,
    webhook_url TEXT NULL,
    webhook_secret TEXT NULL,
    smtp_from TEXT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE loyalty_stores (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES loyalty_merchants (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE loyalty_staff (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES loyalty_merchants (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);

CREATE TABLE loyalty_programmes (
    merchant_id TEXT NOT NULL REFERENCES loyalty_merchants (id),
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (merchant_id, version)
);

CREATE TABLE loyalty_members (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES loyalty_merchants (id),
    card_hash TEXT NOT NULL UNIQUE,
    pseudonym TEXT NOT NULL,
    display_name TEXT NULL,
    email TEXT NULL,
    birthday_month INTEGER NULL,
    birthday_day INTEGER NULL,
    referral_code TEXT NOT NULL UNIQUE,
    referred_by TEXT NULL,
    joined_at TEXT NOT NULL,
    erased_at TEXT NULL,
    lifetime_earned BIGINT NOT NULL DEFAULT 0,
    open_units BIGINT NOT NULL DEFAULT 0,
    debt BIGINT NOT NULL DEFAULT 0,
    visits BIGINT NOT NULL DEFAULT 0,
    last_earned_at TEXT NULL,
    last_visit_at TEXT NULL,
    tier_level INTEGER NOT NULL DEFAULT -1,
    tier_grace_until TEXT NULL,
    entry_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX loyalty_members_merchant ON loyalty_members (merchant_id, joined_at);

-- The ledger: append-only (triggers in 0002), one row per change of a member's units, in the member's order (seq).
CREATE TABLE loyalty_ledger (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    member_id TEXT NOT NULL REFERENCES loyalty_members (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    units BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    purchase_id TEXT NULL,
    reward_id TEXT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (merchant_id, idempotency_key),
    UNIQUE (member_id, seq)
);

-- Expiry batches: every credit is a batch with its remaining units, spent first-in first-out (earliest expiry first).
-- loyalty_members.open_units is the projection Σ remaining of the member's batches, kept by every write.
CREATE TABLE loyalty_batches (
    entry_id TEXT PRIMARY KEY REFERENCES loyalty_ledger (id),
    merchant_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    purchase_id TEXT NULL,
    earned_at TEXT NOT NULL,
    available_at TEXT NOT NULL,
    expires_at TEXT NULL,
    units BIGINT NOT NULL,
    remaining BIGINT NOT NULL
);
CREATE INDEX loyalty_batches_member ON loyalty_batches (member_id, expires_at);
CREATE INDEX loyalty_batches_open ON loyalty_batches (merchant_id, expires_at) WHERE remaining > 0;

CREATE TABLE loyalty_purchases (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    member_id TEXT NULL,
    store_id TEXT NULL,
    amount_cents BIGINT NOT NULL,
    refunded_cents BIGINT NOT NULL DEFAULT 0,
    items BIGINT NOT NULL,
    lines TEXT NOT NULL,
    categories TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    units BIGINT NOT NULL,
    UNIQUE (merchant_id, idempotency_key)
);
CREATE INDEX loyalty_purchases_merchant ON loyalty_purchases (merchant_id, occurred_at);
CREATE INDEX loyalty_purchases_member ON loyalty_purchases (member_id, occurred_at);

-- Accepted member codes: a code's nonce can be used once (replays are refused by the primary key).
CREATE TABLE loyalty_code_uses (
    nonce TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    used_at TEXT NOT NULL
);

CREATE TABLE loyalty_boost_usage (
    merchant_id TEXT NOT NULL,
    boost_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    period TEXT NOT NULL,
    units BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, boost_id, member_id, period)
);

CREATE TABLE loyalty_rewards (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES loyalty_merchants (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    cost BIGINT NOT NULL,
    value_cents BIGINT NOT NULL,
    valid_days INTEGER NOT NULL,
    active INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE loyalty_reward_codes (
    code TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    reward_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT NULL,
    used_by TEXT NULL
);
CREATE INDEX loyalty_reward_codes_member ON loyalty_reward_codes (member_id, issued_at);

CREATE TABLE loyalty_consents (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    granted INTEGER NOT NULL,
    wording_version TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX loyalty_consents_member ON loyalty_consents (member_id, purpose, at);

CREATE TABLE loyalty_referrals (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    referrer_id TEXT NOT NULL,
    friend_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    reasons TEXT NOT NULL,
    device_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_at TEXT NULL
);
CREATE INDEX loyalty_referrals_referrer ON loyalty_referrals (referrer_id, created_at);
CREATE INDEX loyalty_referrals_device ON loyalty_referrals (merchant_id, device_hash, created_at);

-- Messages to members (offers, surprises) and webhooks to the merchant's systems, sent by a background dispatcher.
CREATE TABLE loyalty_outbox (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    member_id TEXT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT NULL,
    dedupe_key TEXT NOT NULL UNIQUE
);
CREATE INDEX loyalty_outbox_pending ON loyalty_outbox (status, next_attempt_at);
