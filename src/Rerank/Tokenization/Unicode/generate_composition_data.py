#!/usr/bin/env python3
# SearchRerank: regenerates CompositionData.g.cs from Python's unicodedata (run: python3 generate_composition_data.py > CompositionData.g.cs).
# Why generated: .NET with InvariantGlobalization=true leaves non-ASCII text unchanged in string.Normalize, so the
# NFC/NFKC/NFKD normalizers of Hugging Face tokenizer.json files need their own compatibility decompositions and
# canonical composition pairs (canonical decompositions and combining classes are in CanonicalData.g.cs).
import unicodedata

from unicode_tables import print_class

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3  # composed and decomposed algorithmically at run time

def canonical(cp):
    return [ord(c) for c in unicodedata.normalize("NFD", chr(cp))]

keys, offsets, values = [], [], []
pairs = []
for cp in range(0x110000):
    if HANGUL_FIRST <= cp <= HANGUL_LAST or 0xD800 <= cp <= 0xDFFF:
        continue
    compat = [ord(c) for c in unicodedata.normalize("NFKD", chr(cp))]
    if compat != canonical(cp):
        keys.append(cp)
        offsets.append(len(values))
        values.extend(compat)
    d = unicodedata.decomposition(chr(cp))
    # A primary composite: a two-part canonical mapping that NFC keeps (composition exclusions and non-starter
    # decompositions do not survive NFC).
    if d and not d.startswith("<") and len(d.split()) == 2 and unicodedata.normalize("NFC", chr(cp)) == chr(cp):
        first, second = (int(p, 16) for p in d.split())
        pairs.append((first, second, cp))
offsets.append(len(values))
pairs.sort()

print_class("generate_composition_data.py", "CompositionData", [
    ("Code points whose full compatibility decomposition (NFKD) differs from the canonical one, ascending.",
     "CompatibilityKeys", keys),
    ("Start of each key's decomposition in <see cref=\"CompatibilityValues\"/>; one extra end offset.",
     "CompatibilityOffsets", offsets),
    ("Full compatibility decompositions, concatenated.",
     "CompatibilityValues", values),
    ("Primary composites as triples (first, second, composite), sorted by first then second.",
     "CompositionTriples", [v for p in pairs for v in p]),
])
