using Azure.Data.Tables;

namespace FuncSecrets.Azure.Tables;

/// <summary>The two conventions the row mappers need on top of Azure.Data.Tables' <see cref="TableEntity"/>.</summary>
internal static class TableEntityExtensions
{
    /// <summary>Sets a property; null leaves it out (a replace then removes it from storage).</summary>
    public static void Set(this TableEntity entity, string name, object? value)
    {
        if (value is null)
        {
            entity.Remove(name);
        }
        else
        {
            entity[name] = value;
        }
    }

    /// <summary>The ETag the entity was read with, as the store's records carry it; null for an entity built locally.</summary>
    public static string? ETagText(this TableEntity entity) => entity.ETag == default ? null : entity.ETag.ToString();
}
