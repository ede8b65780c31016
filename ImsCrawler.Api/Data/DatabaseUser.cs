namespace ImsCrawler.Api.Data;

/// <summary>Who a transaction runs as: the IMS user id and its application role.</summary>
public sealed record DatabaseUser(int UserId, string Role)
{
    public const string Admin = "admin";
    public const string User = "user";
    public const string ReadOnly = "readonly";

    /// <summary>
    /// A role's rights without a user, for work no user does (the start-up admin key; the import's look-up of its user):
    /// the role's policies hold, and those that compare the RLS user id match no row.
    /// </summary>
    public static DatabaseUser RoleOnly(string role) => new(0, role);

    /// <summary>The PostgreSQL group role that the transaction switches to (users.role → ims_*).</summary>
    public string DatabaseRole => Role switch
    {
        Admin => "ims_admin",
        User => "ims_user",
        ReadOnly => "ims_readonly",
        _ => throw new InvalidOperationException($"Unknown user role '{Role}'."),
    };
}
