namespace ReadingBot.Core.Follows;

/// <summary>
/// Latin letters with diacritics to their plain letter, for comparing names. A table rather than
/// <c>string.Normalize</c>: the bot runs with InvariantGlobalization, where normalization leaves non-ASCII text as it is.
/// </summary>
public static class NameFolding
{
    private static readonly Dictionary<char, char> Plain = Build(
        ("ÀÁÂÃÄÅĀĂĄàáâãäåāăą", 'a'), ("ÇĆČçćč", 'c'), ("ĎĐďđ", 'd'), ("ÈÉÊËĒĖĘĚèéêëēėęě", 'e'), ("ĞğĢģ", 'g'),
        ("ÌÍÎÏĪĮİìíîïīįı", 'i'), ("Ķķ", 'k'), ("ŁĹĽłĺľ", 'l'), ("ÑŃŇŅñńňņ", 'n'), ("ÒÓÔÕÖØŌŐòóôõöøōő", 'o'), ("ŔŘŕř", 'r'),
        ("ŚŠŞȘśšşș", 's'), ("ŤŢȚťţț", 't'), ("ÙÚÛÜŪŮŰŲùúûüūůűų", 'u'), ("ÝŸýÿ", 'y'), ("ŹŽŻźžż", 'z'));

    /// <summary>The plain letter (keeping upper case upper), or the character itself.</summary>
    public static char Fold(char ch) =>
        Plain.TryGetValue(ch, out var plain) ? (char.IsUpper(ch) ? char.ToUpperInvariant(plain) : plain) : ch;

    private static Dictionary<char, char> Build(params (string Letters, char Plain)[] groups) =>
        groups.SelectMany(g => g.Letters.Select(c => (c, g.Plain))).ToDictionary(p => p.c, p => p.Plain);
}
