using FuncSecrets.Azure.Tables;

namespace FuncSecrets.UnitTests.Tables;

public sealed class TableKeyEscaperTests
{
    public static TheoryData<string> Values => new()
    {
        "",
        "plain-Name_1.2+3=4@5!6",
        "a/b",
        "/leading/and/trailing/",
        "100%",
        "it's",
        "$0041",
        "pipe|and$dollar",
        "back\\slash#hash?query",
        "tab\tnewline\ncontrol\u0001\u007F\u009F",
        "déjà vu 日本 🔑",
        "lone\uD800surrogate\uDC00",
        "~tilde:colon,comma;semi(paren)*star &amp",
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Escape_AnyString_RoundTrips(string value)
    {
        Assert.Equal(value, TableKeyEscaper.Unescape(TableKeyEscaper.Escape(value)));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Escape_AnyString_YieldsOnlyCharactersSafeInKeysAndUrls(string value)
    {
        var escaped = TableKeyEscaper.Escape(value);

        // Table keys forbid / \ # ? and control characters; % and ' misbehave in entity URLs.
        Assert.All(escaped, c => Assert.True(
            char.IsAsciiLetterOrDigit(c) || "_+=.@!-|$".Contains(c),
            $"'{c}' (U+{(int)c:X4}) in {escaped}"));
    }

    [Fact]
    public void Escape_SlashAndUnderscore_StayDistinct()
    {
        Assert.NotEqual(TableKeyEscaper.Escape("a/b"), TableKeyEscaper.Escape("a_b"));
        Assert.NotEqual(TableKeyEscaper.Escape("a/b"), TableKeyEscaper.Escape("a|b"));
        Assert.NotEqual(TableKeyEscaper.Escape("a|b"), TableKeyEscaper.Escape("a$007Cb"));
    }

    [Fact]
    public void Escape_SecretNameAlphabet_KeepsTheLength()
    {
        // A 512-character name must fit the 1 KiB key limit, whatever it holds.
        var name = string.Concat(Enumerable.Repeat("a/Z9_+=.@!-", 47))[..512];

        var escaped = TableKeyEscaper.Escape(name);

        Assert.Equal(512, escaped.Length);
        Assert.Equal("a|b", TableKeyEscaper.Escape("a/b"));
        Assert.Equal("x+y=z.w@q!r-s_t", TableKeyEscaper.Escape("x+y=z.w@q!r-s_t"));
    }

    [Fact]
    public void Escape_OtherCharacters_UseDollarAndFourUppercaseHexDigits()
    {
        Assert.Equal("100$0025", TableKeyEscaper.Escape("100%"));
        Assert.Equal("$007C$0024$00E9", TableKeyEscaper.Escape("|$é"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("$12")]
    [InlineData("$12g4")]
    [InlineData("$00e9")]
    [InlineData("a#b")]
    [InlineData("%41")]
    public void Unescape_ValueEscapeNeverProduces_Throws(string key)
    {
        Assert.Throws<FormatException>(() => TableKeyEscaper.Unescape(key));
    }

    [Fact]
    public void Escape_RandomStrings_RoundTripAndStayInjective()
    {
        var random = new Random(20240501);
        var seen = new Dictionary<string, string>();
        for (var i = 0; i < 5000; i++)
        {
            var chars = new char[random.Next(0, 12)];
            for (var j = 0; j < chars.Length; j++)
            {
                // Bias towards the interesting range: ASCII incl. controls, plus some BMP.
                chars[j] = random.Next(4) == 0 ? (char)random.Next(0, 0xFFFF) : (char)random.Next(0, 0x80);
            }

            var value = new string(chars);
            var escaped = TableKeyEscaper.Escape(value);
            Assert.Equal(value, TableKeyEscaper.Unescape(escaped));
            if (seen.TryGetValue(escaped, out var other))
            {
                Assert.Equal(other, value);
            }

            seen[escaped] = value;
        }
    }
}
