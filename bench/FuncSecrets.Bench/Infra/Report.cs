using System.Globalization;
using System.Text;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// The results, as markdown: sections of tables plus notes. Printed at the end of the run and
/// written to a file, so docs/bench.md can quote it as-is.
/// </summary>
public sealed class Report
{
    private readonly StringBuilder _text = new();

    public void Heading(string text) => _text.AppendLine().Append("### ").AppendLine(text).AppendLine();

    public void Line(string text) => _text.AppendLine(text);

    public void Table(string[] header, IEnumerable<string[]> rows)
    {
        _text.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
        _text.Append('|').AppendJoin('|', header.Select(h => "---:")).AppendLine("|");
        foreach (var row in rows)
        {
            _text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        _text.AppendLine();
    }

    public override string ToString() => _text.ToString();

    /// <summary>A number formatted for a table (invariant culture, fixed decimals).</summary>
    public static string N(double value, int decimals = 0) =>
        double.IsNaN(value) ? "n/a" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Progress for the person watching, on stderr so stdout stays the report.</summary>
    public static void Progress(string text) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");
}
