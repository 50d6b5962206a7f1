namespace SearchRerank.Core;

/// <summary>One query of a test collection: its id (as used in qrels and runs) and its text.</summary>
public sealed record Topic(string Id, string Text);
