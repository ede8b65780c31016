using ImsCrawler.Migrator.Execution;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class SqlStatementSplitterTests
{
    [Fact]
    public void Splits_at_top_level_semicolons_only_and_keeps_offsets()
    {
        const string sql = "SELECT 'a;b', \"c;d\";\n-- comment; here\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n/* block; /* nested; */ */ SELECT E'it\\'s; ok';\nSELECT $$x;y$$";

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(4, statements.Count);
        Assert.Equal("SELECT 'a;b', \"c;d\";", statements[0].Text);
        Assert.StartsWith("-- comment; here\nCREATE FUNCTION", statements[1].Text);
        Assert.EndsWith("LANGUAGE sql;", statements[1].Text);
        Assert.EndsWith("SELECT E'it\\'s; ok';", statements[2].Text);
        Assert.Equal("SELECT $$x;y$$", statements[3].Text);
        Assert.All(statements, statement => Assert.Equal(statement.Text, sql.Substring(statement.Offset, statement.Text.Length)));
    }

    [Fact]
    public void Comment_only_and_empty_chunks_are_not_statements()
    {
        Assert.Empty(SqlStatementSplitter.Split("-- only a comment;\n/* and ; another */\n;\n  "));
    }
}
