#!/usr/bin/env bash
# How assets/fonts/NotoSansSC-Regular-GBK.ttf was made (run by hand; the result is committed).
# Noto Sans SC Regular (SIL Open Font License 1.1, see assets/fonts/OFL.txt) as shipped by the npm
# package @expo-google-fonts/noto-sans-sc 0.4.3, cut with fontTools' pyftsubset to every character
# GBK can encode (all of GB2312 plus the rarer characters that appear in company names and
# addresses) and the Latin, punctuation, symbol, circled-number and full-width blocks: 23,295
# characters, 7.5 MB instead of 10.6 MB. Reports embed only the glyphs they use (a subset again).
# The font has no subscript digits (₂): the PDF renderer draws them as lowered small digits.
set -euo pipefail
work=$(mktemp -d)
cd "$work"
npm pack @expo-google-fonts/noto-sans-sc@0.4.3 >/dev/null
tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
python3 -m venv venv && venv/bin/pip install -q fonttools
python3 - <<'PY'
chars = set()
for cp in range(0x20, 0x10000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    try:
        chr(cp).encode("gbk")
        chars.add(chr(cp))
    except UnicodeEncodeError:
        pass
blocks = [(0x20, 0x250), (0x2000, 0x20A0), (0x2100, 0x2300), (0x2460, 0x24FF), (0x3000, 0x3040),
          (0x3380, 0x3400), (0xFF00, 0xFFF0)]
for lo, hi in blocks:
    chars.update(chr(cp) for cp in range(lo, hi))
open("chars.txt", "w").write("".join(sorted(chars)))
PY
venv/bin/pyftsubset package/400Regular/NotoSansSC_400Regular.ttf --text-file=chars.txt \
    --output-file=NotoSansSC-Regular-GBK.ttf --no-hinting --layout-features='' \
    --name-IDs='*' --name-legacy --name-languages='*'
echo "made $work/NotoSansSC-Regular-GBK.ttf; copy it to assets/fonts/"
