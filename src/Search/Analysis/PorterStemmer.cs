namespace SearchRerank.Search.Analysis;

/// <summary>
/// The Porter stemming algorithm: M.F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980, pp. 130-137.
/// Follows Porter's own reference implementation (the one that produced his published voc.txt/output.txt and that
/// Lucene's PorterStemmer ports), including its two documented departures from the paper: step 2 maps
/// "-bli" to "-ble" (instead of "-abli" to "-able") and adds "-logi" to "-log". Words of one or two letters
/// are returned unchanged. Expects lowercase input; any other character counts as a consonant.
/// Pure function, thread-safe.
/// </summary>
public static class PorterStemmer
{
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2)
            return word;
        var state = new State(word);
        state.Step1ab();
        if (state.K > 0)
        {
            state.Step1c();
            state.Step2();
            state.Step3();
            state.Step4();
            state.Step5();
        }
        // Most words come back unchanged (or merely truncated); avoid a copy when nothing changed.
        return state.Matches(word) ? word : state.ToString();
    }

    /// <summary>
    /// Working buffer b[0..K] (inclusive end, as in Porter's C code); J marks the end of the stem
    /// left by the last successful <see cref="Ends"/>.
    /// </summary>
    private ref struct State
    {
        private readonly char[] b;
        public int K;
        private int j;

        public State(string word)
        {
            // Room for the longest replacement growing the word ("-at" → "-ate" adds one letter).
            b = new char[word.Length + 1];
            word.CopyTo(b);
            K = word.Length - 1;
            j = 0;
        }

        public override readonly string ToString() => new(b, 0, K + 1);

        public readonly bool Matches(string word) => b.AsSpan(0, K + 1).SequenceEqual(word);

        /// <summary>True when b[i] is a consonant: not a vowel, and 'y' only when it follows a vowel or starts the word.</summary>
        private readonly bool IsConsonant(int i) => b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };

        /// <summary>m, the number of VC sequences in b[0..j]: [C](VC)^m[V].</summary>
        private readonly int Measure()
        {
            var n = 0;
            var i = 0;
            while (true)
            {
                if (i > j) return n;
                if (!IsConsonant(i)) break;
                i++;
            }
            i++;
            while (true)
            {
                while (true)
                {
                    if (i > j) return n;
                    if (IsConsonant(i)) break;
                    i++;
                }
                i++;
                n++;
                while (true)
                {
                    if (i > j) return n;
                    if (!IsConsonant(i)) break;
                    i++;
                }
                i++;
            }
        }

        /// <summary>*v*: b[0..j] contains a vowel.</summary>
        private readonly bool VowelInStem()
        {
            for (var i = 0; i <= j; i++)
                if (!IsConsonant(i))
                    return true;
            return false;
        }

        /// <summary>*d: b[i-1..i] is a double consonant.</summary>
        private readonly bool DoubleConsonant(int i) => i >= 1 && b[i] == b[i - 1] && IsConsonant(i);

        /// <summary>*o: b[i-2..i] is consonant-vowel-consonant and the last is not w, x or y ("hop", not "snow").</summary>
        private readonly bool Cvc(int i)
        {
            if (i < 2 || !IsConsonant(i) || IsConsonant(i - 1) || !IsConsonant(i - 2))
                return false;
            return b[i] is not ('w' or 'x' or 'y');
        }

        /// <summary>True when b[0..K] ends with <paramref name="suffix"/>; then J is the end of the remaining stem.</summary>
        private bool Ends(string suffix)
        {
            var length = suffix.Length;
            if (length > K + 1)
                return false;
            if (!b.AsSpan(K - length + 1, length).SequenceEqual(suffix))
                return false;
            j = K - length;
            return true;
        }

        /// <summary>Replaces b[j+1..K] with <paramref name="replacement"/>.</summary>
        private void SetTo(string replacement)
        {
            replacement.CopyTo(b.AsSpan(j + 1));
            K = j + replacement.Length;
        }

        /// <summary>SetTo when the stem before the matched suffix has m > 0.</summary>
        private void ReplaceIfMeasured(string replacement)
        {
            if (Measure() > 0)
                SetTo(replacement);
        }

        /// <summary>Plurals and -ed/-ing: caresses→caress, ponies→poni, cats→cat; agreed→agree, hopping→hop, filing→file.</summary>
        public void Step1ab()
        {
            if (b[K] == 's')
            {
                if (Ends("sses")) K -= 2;
                else if (Ends("ies")) SetTo("i");
                else if (b[K - 1] != 's') K--;
            }
            if (Ends("eed"))
            {
                if (Measure() > 0) K--;
            }
            else if ((Ends("ed") || Ends("ing")) && VowelInStem())
            {
                K = j;
                if (Ends("at")) SetTo("ate");
                else if (Ends("bl")) SetTo("ble");
                else if (Ends("iz")) SetTo("ize");
                else if (DoubleConsonant(K))
                {
                    K--;
                    if (b[K] is 'l' or 's' or 'z') K++;
                }
                else
                {
                    j = K;
                    if (Measure() == 1 && Cvc(K)) SetTo("e");
                }
            }
        }

        /// <summary>Terminal y to i when the stem has a vowel: happy→happi, sky stays.</summary>
        public void Step1c()
        {
            if (Ends("y") && VowelInStem())
                b[K] = 'i';
        }

        /// <summary>Double suffixes to single ones when m > 0, keyed on the penultimate letter as in Porter's code.</summary>
        public void Step2()
        {
            if (K < 1) return;
            switch (b[K - 1])
            {
                case 'a':
                    if (Ends("ational")) { ReplaceIfMeasured("ate"); break; }
                    if (Ends("tional")) { ReplaceIfMeasured("tion"); break; }
                    break;
                case 'c':
                    if (Ends("enci")) { ReplaceIfMeasured("ence"); break; }
                    if (Ends("anci")) { ReplaceIfMeasured("ance"); break; }
                    break;
                case 'e':
                    if (Ends("izer")) { ReplaceIfMeasured("ize"); break; }
                    break;
                case 'l':
                    if (Ends("bli")) { ReplaceIfMeasured("ble"); break; }
                    if (Ends("alli")) { ReplaceIfMeasured("al"); break; }
                    if (Ends("entli")) { ReplaceIfMeasured("ent"); break; }
                    if (Ends("eli")) { ReplaceIfMeasured("e"); break; }
                    if (Ends("ousli")) { ReplaceIfMeasured("ous"); break; }
                    break;
                case 'o':
                    if (Ends("ization")) { ReplaceIfMeasured("ize"); break; }
                    if (Ends("ation")) { ReplaceIfMeasured("ate"); break; }
                    if (Ends("ator")) { ReplaceIfMeasured("ate"); break; }
                    break;
                case 's':
                    if (Ends("alism")) { ReplaceIfMeasured("al"); break; }
                    if (Ends("iveness")) { ReplaceIfMeasured("ive"); break; }
                    if (Ends("fulness")) { ReplaceIfMeasured("ful"); break; }
                    if (Ends("ousness")) { ReplaceIfMeasured("ous"); break; }
                    break;
                case 't':
                    if (Ends("aliti")) { ReplaceIfMeasured("al"); break; }
                    if (Ends("iviti")) { ReplaceIfMeasured("ive"); break; }
                    if (Ends("biliti")) { ReplaceIfMeasured("ble"); break; }
                    break;
                case 'g':
                    if (Ends("logi")) { ReplaceIfMeasured("log"); break; }
                    break;
            }
        }

        /// <summary>-ic-, -full, -ness etc. when m > 0: triplicate→triplic, hopeful→hope, goodness→good.</summary>
        public void Step3()
        {
            switch (b[K])
            {
                case 'e':
                    if (Ends("icate")) { ReplaceIfMeasured("ic"); break; }
                    if (Ends("ative")) { ReplaceIfMeasured(""); break; }
                    if (Ends("alize")) { ReplaceIfMeasured("al"); break; }
                    break;
                case 'i':
                    if (Ends("iciti")) { ReplaceIfMeasured("ic"); break; }
                    break;
                case 'l':
                    if (Ends("ical")) { ReplaceIfMeasured("ic"); break; }
                    if (Ends("ful")) { ReplaceIfMeasured(""); break; }
                    break;
                case 's':
                    if (Ends("ness")) { ReplaceIfMeasured(""); break; }
                    break;
            }
        }

        /// <summary>Removes one of the residual suffixes when m > 1 (the longest matching suffix only): revival→reviv, adoption→adopt.</summary>
        public void Step4()
        {
            if (K < 1) return;
            var matched = b[K - 1] switch
            {
                'a' => Ends("al"),
                'c' => Ends("ance") || Ends("ence"),
                'e' => Ends("er"),
                'i' => Ends("ic"),
                'l' => Ends("able") || Ends("ible"),
                'n' => Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent"),
                'o' => (Ends("ion") && j >= 0 && b[j] is 's' or 't') || Ends("ou"),
                's' => Ends("ism"),
                't' => Ends("ate") || Ends("iti"),
                'u' => Ends("ous"),
                'v' => Ends("ive"),
                'z' => Ends("ize"),
                _ => false,
            };
            if (matched && Measure() > 1)
                K = j;
        }

        /// <summary>Final -e when m > 1 (or m = 1 and not *o), and -ll to -l when m > 1: probate→probat, controll→control.</summary>
        public void Step5()
        {
            j = K;
            if (b[K] == 'e')
            {
                var m = Measure();
                if (m > 1 || (m == 1 && !Cvc(K - 1)))
                    K--;
            }
            if (b[K] == 'l' && DoubleConsonant(K) && Measure() > 1)
                K--;
        }
    }
}
