using SearchRerank.Search.Analysis;

namespace SearchRerank.Search.Tests.Analysis;

public class PorterStemmerTests
{
    // Word → stem pairs of Porter's algorithm: the examples of each step in the 1980 paper carried through the
    // whole algorithm, plus words from Porter's published vocabulary (voc.txt/output.txt).
    public static TheoryData<string, string> Golden => new()
    {
        // Step 1a
        { "caresses", "caress" }, { "ponies", "poni" }, { "ties", "ti" }, { "caress", "caress" }, { "cats", "cat" },
        // Step 1b
        { "feed", "feed" }, { "agreed", "agre" }, { "plastered", "plaster" }, { "bled", "bled" }, { "motoring", "motor" },
        { "sing", "sing" }, { "conflated", "conflat" }, { "troubled", "troubl" }, { "sized", "size" }, { "hopping", "hop" },
        { "tanned", "tan" }, { "falling", "fall" }, { "hissing", "hiss" }, { "fizzed", "fizz" }, { "failing", "fail" },
        { "filing", "file" },
        // Step 1c
        { "happy", "happi" }, { "sky", "sky" },
        // Step 2
        { "relational", "relat" }, { "conditional", "condit" }, { "rational", "ration" }, { "valenci", "valenc" },
        { "hesitanci", "hesit" }, { "digitizer", "digit" }, { "conformabli", "conform" }, { "radicalli", "radic" },
        { "differentli", "differ" }, { "vileli", "vile" }, { "analogousli", "analog" }, { "vietnamization", "vietnam" },
        { "predication", "predic" }, { "operator", "oper" }, { "feudalism", "feudal" }, { "decisiveness", "decis" },
        { "hopefulness", "hope" }, { "callousness", "callous" }, { "formaliti", "formal" }, { "sensitiviti", "sensit" },
        { "sensibiliti", "sensibl" },
        // Step 3
        { "triplicate", "triplic" }, { "formative", "form" }, { "formalize", "formal" }, { "electriciti", "electr" },
        { "electrical", "electr" }, { "hopeful", "hope" }, { "goodness", "good" },
        // Step 4
        { "revival", "reviv" }, { "allowance", "allow" }, { "inference", "infer" }, { "airliner", "airlin" },
        { "gyroscopic", "gyroscop" }, { "adjustable", "adjust" }, { "defensible", "defens" }, { "irritant", "irrit" },
        { "replacement", "replac" }, { "adjustment", "adjust" }, { "dependent", "depend" }, { "adoption", "adopt" },
        { "homologou", "homolog" }, { "communism", "commun" }, { "activate", "activ" }, { "angulariti", "angular" },
        { "homologous", "homolog" }, { "effective", "effect" }, { "bowdlerize", "bowdler" },
        // Step 5
        { "probate", "probat" }, { "rate", "rate" }, { "cease", "ceas" }, { "controll", "control" }, { "roll", "roll" },
        // Multi-step words
        { "generalizations", "gener" }, { "oscillators", "oscil" }, { "generously", "gener" }, { "abilities", "abil" },
        { "ability", "abil" }, { "able", "abl" }, { "abnormal", "abnorm" }, { "absolutely", "absolut" },
        { "accompanied", "accompani" }, { "according", "accord" }, { "abandoned", "abandon" }, { "connection", "connect" },
        { "connections", "connect" }, { "connective", "connect" }, { "connected", "connect" }, { "connecting", "connect" },
        { "running", "run" }, { "runs", "run" }, { "ran", "ran" }, { "easily", "easili" }, { "nationality", "nation" },
        { "national", "nation" }, { "nation", "nation" }, { "organization", "organ" }, { "organize", "organ" },
        { "university", "univers" }, { "universal", "univers" }, { "argument", "argument" }, { "arguing", "argu" },
        { "argued", "argu" }, { "studies", "studi" }, { "studying", "studi" }, { "cells", "cell" }, { "cellular", "cellular" },
        { "proteins", "protein" }, { "expression", "express" }, { "expressed", "express" }, { "treatment", "treatment" },
        { "treatments", "treatment" }, { "patients", "patient" }, { "increased", "increas" }, { "increases", "increas" },
        { "effects", "effect" }, { "associated", "associ" }, { "association", "associ" }, { "mutations", "mutat" },
        { "disease", "diseas" }, { "diseases", "diseas" }, { "analysis", "analysi" }, { "analyses", "analys" },
        { "significant", "signific" }, { "significantly", "significantli" }, { "activity", "activ" }, { "activities", "activ" },
        { "regulation", "regul" }, { "regulatory", "regulatori" }, { "knowledge", "knowledg" }, { "generate", "gener" },
        { "general", "gener" }, { "agreement", "agreement" }, { "agrees", "agre" }, { "meeting", "meet" },
        { "meetings", "meet" }, { "troubles", "troubl" }, { "troubling", "troubl" }, { "hoping", "hope" }, { "hoped", "hope" },
        { "sizes", "size" }, { "sizing", "size" }, { "probability", "probabl" }, { "probable", "probabl" },
        { "archaeology", "archaeolog" }, { "biology", "biologi" }, { "biological", "biolog" }, { "logical", "logic" },
        { "possibly", "possibl" }, { "sensibly", "sensibl" }, { "cement", "cement" }, { "computer", "comput" },
        { "computing", "comput" }, { "computational", "comput" }, { "trees", "tree" }, { "flies", "fli" }, { "dying", "dy" },
        { "lying", "ly" }, { "tying", "ty" }, { "news", "new" }, { "gas", "ga" }, { "this", "thi" }, { "was", "wa" },
        { "skies", "ski" }, { "sensational", "sensat" }, { "traditional", "tradit" }, { "reference", "refer" },
        { "references", "refer" }, { "referred", "refer" }, { "fitting", "fit" }, { "filling", "fill" }, { "buzzing", "buzz" },
        { "misses", "miss" }, { "glasses", "glass" }, { "yes", "ye" }, { "boys", "boi" }, { "toy", "toi" }, { "enjoy", "enjoi" },
        { "crying", "cry" }, { "tried", "tri" }, { "relativity", "rel" }, { "positive", "posit" }, { "sensitive", "sensit" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void StemsLikePorter(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("is")]
    [InlineData("as")]
    [InlineData("ed")]
    public void LeavesWordsOfAtMostTwoLettersAlone(string word) => Assert.Equal(word, PorterStemmer.Stem(word));

    [Theory]
    [InlineData("ational", "ation")] // step 2 needs m > 0 before -ational (m = 0 here), but step 4 strips -al (m("ation") = 2)
    [InlineData("eed", "eed")]
    [InlineData("ing", "ing")]
    [InlineData("sses", "ss")]
    [InlineData("ies", "i")]
    public void HandlesWordsThatAreOnlySuffixes(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Fact]
    public void UsesTheReferenceImplementationDepartures()
    {
        // Porter's C code: -bli → -ble and -logi → -log in step 2 (the paper has -abli → -able and no -logi rule).
        Assert.Equal("possibl", PorterStemmer.Stem("possibli"));
        Assert.Equal("archaeolog", PorterStemmer.Stem("archaeologi"));
    }

    [Fact]
    public void TreatsDigitsAndNonAsciiAsConsonants()
    {
        Assert.Equal("covid19", PorterStemmer.Stem("covid19"));
        Assert.Equal("3.5", PorterStemmer.Stem("3.5"));
        Assert.Equal("naïv", PorterStemmer.Stem("naïve"));
    }

    [Fact]
    public void RandomLowercaseWordsKeepTheirFirstLetterAndGrowByAtMostOne()
    {
        var random = new Random(1980);
        for (var i = 0; i < 20000; i++)
        {
            var chars = new char[random.Next(0, 20)];
            for (var c = 0; c < chars.Length; c++)
                chars[c] = (char)('a' + random.Next(26));
            var word = new string(chars);
            var stem = PorterStemmer.Stem(word);
            Assert.True(stem.Length <= word.Length + 1, $"{word} → {stem}");
            if (word.Length > 0)
                Assert.True(stem.Length > 0 && stem[0] == word[0], $"{word} → {stem}");
        }
    }
}
