#!/usr/bin/env python3
# SearchRerank: regenerates normalization-vectors.tsv (run: python3 generate_normalization_vectors.py > normalization-vectors.tsv):
# NFC, NFD, NFKC and NFKD of (1) every 5th code point that any form changes and (2) 300 seeded random sequences of
# starters, combining marks (in any order) and Hangul jamo, from Python's unicodedata. Columns: input, NFC, NFD, NFKC,
# NFKD, each as space-separated hex code points.
import random
import unicodedata

FORMS = ("NFC", "NFD", "NFKC", "NFKD")

def hexes(s):
    return " ".join(f"{ord(c):X}" for c in s)

changed = [cp for cp in range(0x110000)
           if not 0xD800 <= cp <= 0xDFFF and any(unicodedata.normalize(f, chr(cp)) != chr(cp) for f in FORMS)]
cases = [chr(cp) for cp in changed[::5]]

rng = random.Random(20261206)
starters = "aeiouAEOUnNcCsSzZ" + "\u0391\u03b1\u0415\u0435\u0627\u0915\u0b47\u0bc6\u1100\u1161\u11a8\uac00\u3131\uff76\u2126\u212b\u00c5"
marks = [0x300, 0x301, 0x302, 0x303, 0x308, 0x30A, 0x323, 0x327, 0x328, 0x331, 0x345, 0x5B4, 0x65F, 0x93C, 0x94D, 0xB3E, 0xBBE, 0x1D165, 0x1D16D, 0x3099]
for _ in range(300):
    s = ""
    for _ in range(rng.randint(1, 6)):
        s += rng.choice(starters) if rng.random() < 0.5 else chr(rng.choice(marks))
    cases.append(s)

print(f"# unicodedata {unicodedata.unidata_version}: input\tNFC\tNFD\tNFKC\tNFKD")
for s in cases:
    print("\t".join([hexes(s)] + [hexes(unicodedata.normalize(f, s)) for f in FORMS]))
