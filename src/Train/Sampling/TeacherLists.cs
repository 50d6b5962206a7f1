using SearchRerank.Core;

namespace SearchRerank.Train.Sampling;

/// <summary>Turns a teacher's TREC run into <see cref="TeacherList"/>s for the training queries.</summary>
public static class TeacherLists
{
    /// <summary>
    /// The teacher's ranking (trec_eval order: score descending, ties by docid descending) of every query in
    /// <paramref name="queries"/> that the run answers, cut to <paramref name="groupSize"/> documents.
    /// Queries the run does not answer are skipped; <paramref name="unanswered"/> counts them.
    /// </summary>
    public static IReadOnlyList<TeacherList> From(Run run, IReadOnlyList<Topic> queries, int groupSize, out int unanswered)
    {
        var lists = new List<TeacherList>();
        unanswered = 0;
        foreach (var query in queries)
        {
            var ranked = run.Ranked(query.Id);
            if (ranked.Count == 0)
            {
                unanswered++;
                continue;
            }
            var top = ranked.Take(groupSize).ToArray();
            lists.Add(new TeacherList(query.Id, query.Text, top.Select(e => e.DocId).ToArray(), top.Select(e => e.Score).ToArray()));
        }
        return lists;
    }
}
