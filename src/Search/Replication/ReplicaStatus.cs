namespace SearchRerank.Search.Replication;

/// <summary>
/// Where a replica stands against its primary, for <c>/readyz</c> and the operator.
/// </summary>
/// <param name="Version">The revision the replica's index holds (the commit generation in hexadecimal, as Lucene's
/// replicator writes it); null until the first revision is complete.</param>
/// <param name="PrimaryVersion">The newest revision the primary offered at the last contact.</param>
/// <param name="LastContact">When the primary last answered.</param>
/// <param name="LastUpdate">When the replica last switched to a new revision.</param>
/// <param name="LastError">Why the last contact or copy failed, while the failure lasts; null after a success.</param>
/// <param name="Settled">The first round since the replica started is over: it brought the index up to date, found it
/// up to date, or failed (then the index on disk, if any, is what there is).</param>
internal sealed record ReplicaStatus(string? Version, string? PrimaryVersion, DateTimeOffset? LastContact, DateTimeOffset? LastUpdate,
    string? LastError, bool Settled)
{
    /// <summary>The generation <see cref="Version"/> stands for.</summary>
    public long? Generation => Version is null ? null : long.Parse(Version, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True while the primary is known to hold a newer revision than the replica.</summary>
    public bool Behind => PrimaryVersion is not null && PrimaryVersion != Version;
}
