#!/usr/bin/env python3
# SearchRerank: regenerates CanonicalData.g.cs from Python's unicodedata (run: python3 generate_canonical_data.py > CanonicalData.g.cs).
# Why generated: .NET with InvariantGlobalization=true leaves non-ASCII text unchanged in string.Normalize,
# so BERT accent stripping needs its own canonical decomposition (NFD) tables.
import unicodedata

from unicode_tables import print_class

def full_decomposition(cp):
    """Recursive canonical decomposition (compatibility mappings, tagged with <...>, are not canonical)."""
    d = unicodedata.decomposition(chr(cp))
    if not d or d.startswith("<"):
        return [cp]
    out = []
    for part in d.split():
        out.extend(full_decomposition(int(part, 16)))
    return out

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3  # decomposed algorithmically at run time

keys, offsets, values = [], [], []
for cp in range(0x110000):
    if HANGUL_FIRST <= cp <= HANGUL_LAST or 0xD800 <= cp <= 0xDFFF:
        continue
    seq = full_decomposition(cp)
    if seq != [cp]:
        keys.append(cp)
        offsets.append(len(values))
        values.extend(seq)
offsets.append(len(values))

# Combining classes as ranges of equal non-zero class: start, end (inclusive), class.
ranges = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    c = unicodedata.combining(chr(cp))
    if c == 0:
        continue
    if ranges and ranges[-1][1] == cp - 1 and ranges[-1][2] == c:
        ranges[-1][1] = cp
    else:
        ranges.append([cp, cp, c])

print_class("generate_canonical_data.py", "CanonicalData", [
    ("Code points with a canonical decomposition, ascending (Hangul syllables excluded).",
     "DecompositionKeys", keys),
    ("Start of each key's decomposition in <see cref=\"DecompositionValues\"/>; one extra end offset.",
     "DecompositionOffsets", offsets),
    ("Full (recursive) canonical decompositions, concatenated.",
     "DecompositionValues", values),
    ("Non-zero canonical combining classes as triples: first code point, last code point, class.",
     "CombiningClassRanges", [v for r in ranges for v in r]),
])
