namespace Socle.Modules.Loyalty.Ledger;

/// <summary>
/// The rows one group commit writes, kept column by column. On PostgreSQL each table gets one statement over arrays
/// (<c>INSERT … SELECT … FROM unnest(@a, @b, …)</c>, <c>UPDATE … FROM unnest(…)</c>): a batch of any size costs four statements
/// to parse and plan. On SQLite, one statement per row (in-process, nothing to gain).
/// </summary>
internal sealed class PurchaseRows
{
    private readonly List<string> _pId = [], _pMerchant = [], _pKey = [], _pHash = [], _pSource = [], _pOccurred = [], _pLines = [], _pCategories = [];
    private readonly List<string?> _pMember = [], _pStore = [];
    private readonly List<long> _pAmount = [], _pItems = [], _pUnits = [];
    private readonly List<string> _eId = [], _eMerchant = [], _eMember = [], _eKey = [], _ePurchase = [], _eReason = [];
    private readonly List<long> _eSeq = [], _eUnits = [];
    private readonly List<string> _bEntry = [], _bMerchant = [], _bMember = [], _bPurchase = [], _bEarned = [], _bAvailable = [];
    private readonly List<string?> _bExpires = [];
    private readonly List<long> _bUnits = [], _bRemaining = [];
    private readonly List<string> _cNonce = [], _cMember = [];
    private readonly List<string> _mId = [];
    private readonly List<long> _mEarned = [], _mOpen = [], _mDebt = [], _mVisits = [], _mTier = [], _mSeq = [];
    private readonly List<string?> _mLastEarned = [], _mLastVisit = [], _mGrace = [];

    public void Purchase(string id, string merchant, string? member, string? store, long amount, long items, string lines, string categories, string occurred, string key, string hash, string source, long units)
    {
        _pId.Add(id); _pMerchant.Add(merchant); _pMember.Add(member); _pStore.Add(store); _pAmount.Add(amount); _pItems.Add(items); _pLines.Add(lines);
        _pCategories.Add(categories); _pOccurred.Add(occurred); _pKey.Add(key); _pHash.Add(hash); _pSource.Add(source); _pUnits.Add(units);
    }

    public void Earn(string entry, string merchant, string member, long seq, long units, string key, string purchase, string reason)
    {
        _eId.Add(entry); _eMerchant.Add(merchant); _eMember.Add(member); _eSeq.Add(seq); _eUnits.Add(units); _eKey.Add(key); _ePurchase.Add(purchase); _eReason.Add(reason);
    }

    public void Batch(string entry, string merchant, string member, string purchase, string earned, string available, string? expires, long units, long remaining)
    {
        _bEntry.Add(entry); _bMerchant.Add(merchant); _bMember.Add(member); _bPurchase.Add(purchase); _bEarned.Add(earned); _bAvailable.Add(available);
        _bExpires.Add(expires); _bUnits.Add(units); _bRemaining.Add(remaining);
    }

    public void CodeUse(string nonce, string member)
    {
        _cNonce.Add(nonce); _cMember.Add(member);
    }

    public void Member(MemberRow m)
    {
        _mId.Add(m.Id); _mEarned.Add(m.LifetimeEarned); _mOpen.Add(m.OpenUnits); _mDebt.Add(m.Debt); _mVisits.Add(m.Visits); _mLastEarned.Add(m.LastEarnedAt);
        _mLastVisit.Add(m.LastVisitAt); _mTier.Add(m.TierLevel); _mGrace.Add(m.TierGraceUntil); _mSeq.Add(m.EntrySeq);
    }

    /// <summary>Adds the statements to <paramref name="writes"/>, in an order that respects the foreign keys.</summary>
    public void WriteTo(SqlWrites writes, bool postgres, string now)
    {
        if (postgres)
        {
            Bulk(writes, now);
            return;
        }
        for (var i = 0; i < _pId.Count; i++)
        {
            writes.Add(
                "INSERT INTO loyalty_purchases (id, merchant_id, member_id, store_id, amount_cents, refunded_cents, items, lines, categories, occurred_at, recorded_at, idempotency_key, request_hash, source, units) " +
                "VALUES (@id, @merchant, @member, @store, @amount, 0, @items, @lines, @categories, @occurred, @recorded, @key, @hash, @source, @units)",
                ("id", _pId[i]), ("merchant", _pMerchant[i]), ("member", _pMember[i]), ("store", _pStore[i]), ("amount", _pAmount[i]), ("items", _pItems[i]),
                ("lines", _pLines[i]), ("categories", _pCategories[i]), ("occurred", _pOccurred[i]), ("recorded", now), ("key", _pKey[i]), ("hash", _pHash[i]),
                ("source", _pSource[i]), ("units", _pUnits[i]));
        }
        for (var i = 0; i < _cNonce.Count; i++)
        {
            writes.Add("INSERT INTO loyalty_code_uses (nonce, member_id, used_at) VALUES (@nonce, @member, @at)", ("nonce", _cNonce[i]), ("member", _cMember[i]), ("at", now));
        }
        for (var i = 0; i < _eId.Count; i++)
        {
            writes.Add(
                "INSERT INTO loyalty_ledger (id, merchant_id, member_id, seq, kind, units, idempotency_key, purchase_id, reward_id, reason, at) " +
                "VALUES (@id, @merchant, @member, @seq, 'earn', @units, @key, @purchase, NULL, @reason, @at)",
                ("id", _eId[i]), ("merchant", _eMerchant[i]), ("member", _eMember[i]), ("seq", _eSeq[i]), ("units", _eUnits[i]), ("key", _eKey[i]),
                ("purchase", _ePurchase[i]), ("reason", _eReason[i]), ("at", now));
        }
        for (var i = 0; i < _bEntry.Count; i++)
        {
            writes.Add(
                "INSERT INTO loyalty_batches (entry_id, merchant_id, member_id, purchase_id, earned_at, available_at, expires_at, units, remaining) " +
                "VALUES (@entry, @merchant, @member, @purchase, @earned, @available, @expires, @units, @remaining)",
                ("entry", _bEntry[i]), ("merchant", _bMerchant[i]), ("member", _bMember[i]), ("purchase", _bPurchase[i]), ("earned", _bEarned[i]),
                ("available", _bAvailable[i]), ("expires", _bExpires[i]), ("units", _bUnits[i]), ("remaining", _bRemaining[i]));
        }
        for (var i = 0; i < _mId.Count; i++)
        {
            writes.Add(
                "UPDATE loyalty_members SET lifetime_earned = @earned, open_units = @open, debt = @debt, visits = @visits, last_earned_at = @lastEarned, last_visit_at = @lastVisit, " +
                "tier_level = @tier, tier_grace_until = @grace, entry_seq = @seq WHERE id = @id",
                ("earned", _mEarned[i]), ("open", _mOpen[i]), ("debt", _mDebt[i]), ("visits", _mVisits[i]), ("lastEarned", _mLastEarned[i]), ("lastVisit", _mLastVisit[i]),
                ("tier", _mTier[i]), ("grace", _mGrace[i]), ("seq", _mSeq[i]), ("id", _mId[i]));
        }
    }

    private void Bulk(SqlWrites writes, string now)
    {
        if (_pId.Count > 0)
        {
            writes.Add(
                "INSERT INTO loyalty_purchases (id, merchant_id, member_id, store_id, amount_cents, refunded_cents, items, lines, categories, occurred_at, recorded_at, idempotency_key, request_hash, source, units) " +
                "SELECT id, merchant_id, member_id, store_id, amount, 0, items, lines, categories, occurred, @now, k, h, source, units " +
                "FROM unnest(@id::text[], @merchant::text[], @member::text[], @store::text[], @amount::bigint[], @items::bigint[], @lines::text[], @categories::text[], " +
                "@occurred::text[], @key::text[], @hash::text[], @source::text[], @units::bigint[]) " +
                "AS t(id, merchant_id, member_id, store_id, amount, items, lines, categories, occurred, k, h, source, units)",
                ("now", now), ("id", _pId.ToArray()), ("merchant", _pMerchant.ToArray()), ("member", _pMember.ToArray()), ("store", _pStore.ToArray()),
                ("amount", _pAmount.ToArray()), ("items", _pItems.ToArray()), ("lines", _pLines.ToArray()), ("categories", _pCategories.ToArray()),
                ("occurred", _pOccurred.ToArray()), ("key", _pKey.ToArray()), ("hash", _pHash.ToArray()), ("source", _pSource.ToArray()), ("units", _pUnits.ToArray()));
        }
        if (_cNonce.Count > 0)
        {
            writes.Add("INSERT INTO loyalty_code_uses (nonce, member_id, used_at) SELECT n, m, @now FROM unnest(@nonce::text[], @member::text[]) AS t(n, m)",
                ("now", now), ("nonce", _cNonce.ToArray()), ("member", _cMember.ToArray()));
        }
        if (_eId.Count > 0)
        {
            writes.Add(
                "INSERT INTO loyalty_ledger (id, merchant_id, member_id, seq, kind, units, idempotency_key, purchase_id, reward_id, reason, at) " +
                "SELECT id, merchant_id, member_id, seq, 'earn', units, k, purchase_id, NULL, reason, @now " +
                "FROM unnest(@id::text[], @merchant::text[], @member::text[], @seq::bigint[], @units::bigint[], @key::text[], @purchase::text[], @reason::text[]) " +
                "AS t(id, merchant_id, member_id, seq, units, k, purchase_id, reason)",
                ("now", now), ("id", _eId.ToArray()), ("merchant", _eMerchant.ToArray()), ("member", _eMember.ToArray()), ("seq", _eSeq.ToArray()),
                ("units", _eUnits.ToArray()), ("key", _eKey.ToArray()), ("purchase", _ePurchase.ToArray()), ("reason", _eReason.ToArray()));
            writes.Add(
                "INSERT INTO loyalty_batches (entry_id, merchant_id, member_id, purchase_id, earned_at, available_at, expires_at, units, remaining) " +
                "SELECT * FROM unnest(@entry::text[], @merchant::text[], @member::text[], @purchase::text[], @earned::text[], @available::text[], @expires::text[], @units::bigint[], @remaining::bigint[])",
                ("entry", _bEntry.ToArray()), ("merchant", _bMerchant.ToArray()), ("member", _bMember.ToArray()), ("purchase", _bPurchase.ToArray()),
                ("earned", _bEarned.ToArray()), ("available", _bAvailable.ToArray()), ("expires", _bExpires.ToArray()), ("units", _bUnits.ToArray()), ("remaining", _bRemaining.ToArray()));
        }
        if (_mId.Count > 0)
        {
            writes.Add(
                "UPDATE loyalty_members m SET lifetime_earned = t.earned, open_units = t.open, debt = t.debt, visits = t.visits, last_earned_at = t.last_earned, last_visit_at = t.last_visit, " +
                "tier_level = t.tier, tier_grace_until = t.grace, entry_seq = t.seq " +
                "FROM unnest(@id::text[], @earned::bigint[], @open::bigint[], @debt::bigint[], @visits::bigint[], @lastEarned::text[], @lastVisit::text[], @tier::bigint[], @grace::text[], @seq::bigint[]) " +
                "AS t(id, earned, open, debt, visits, last_earned, last_visit, tier, grace, seq) WHERE m.id = t.id",
                ("id", _mId.ToArray()), ("earned", _mEarned.ToArray()), ("open", _mOpen.ToArray()), ("debt", _mDebt.ToArray()), ("visits", _mVisits.ToArray()), ("lastEarned", _mLastEarned.ToArray()),
                ("lastVisit", _mLastVisit.ToArray()), ("tier", _mTier.ToArray()), ("grace", _mGrace.ToArray()), ("seq", _mSeq.ToArray()));
        }
    }
}
