namespace ImsCrawler.Api.Data;

/// <summary>Who a transaction runs as: the IMS user id and its application role.</summary>
public sealed record DatabaseUser(int UserId, string Role)
{
    public const string Admin = "admin";
    public const string User = "user";
    public const string ReadOnly = "readonly";

    /// <summary>The PostgreSQL group role that the transaction switches to (users.role → ims_*).</summary>
    public string DatabaseRole => Role switch
    {
        Admin => "ims_admin",
        User => "ims_user",
        ReadOnly => "ims_readonly",
        _ => throw new InvalidOperationException($"Unknown user role '{Role}'."),
    };
}
