#!/usr/bin/env bash
# How the fonts in assets/fonts/ and the desktop UI's ui/src/fonts.css were made (run by hand; the
# results are committed). Noto Sans SC Regular, SIL Open Font License 1.1 (assets/fonts/OFL.txt).
#
#   tools/make-font.sh gbk   assets/fonts/NotoSansSC-Regular-GBK.ttf, the full cut the PDF report
#                            and the charts use, and the UI's fallback face
#   tools/make-font.sh ui    assets/fonts/NotoSansSC-Regular-UI.woff2, the small face the desktop
#                            UI loads first, cut from the GBK cut, and ui/src/fonts.css, which
#                            declares both faces with their exact unicode-range
#
# Run `ui` again after adding interface text with a character the UI face lacks (a test in
# src-tauri/tests/ui_font.rs says so); run both after changing the `gbk` cut.
#
# The GBK cut: Noto Sans SC Regular as shipped by the npm package @expo-google-fonts/noto-sans-sc
# 0.4.3, cut with fontTools' pyftsubset to every character GBK can encode (all of GB2312 plus the
# rarer characters that appear in company names and addresses) and the Latin, punctuation, symbol,
# circled-number and full-width blocks: 23,295 characters asked for (22,465 in the font), 7.5 MB
# instead of 10.6 MB. Reports embed only the glyphs they use (a subset again). The font has no
# subscript digits (₂): the PDF renderer draws them as lowered small digits.
#
# The UI face: the characters the interface can show without a name typed by a person — ASCII,
# Latin-1 and Latin Extended-A, general punctuation, letter-like symbols (℃), arrows, maths, circled
# numbers, CJK punctuation, full-width forms; every character of the UI's source (the zh/en
# catalogue ui/src/lib/i18n.ts and the components); every character of the Rust sources and the
# factor and framework data (the messages, checks, labels and factor names the Rust side sends in
# Chinese); the sample factory's data — and, for the names of a factory, its sites and sources,
# the 6,763 characters of GB2312 (level 1, the 3,755 most frequent, and level 2, where 鑫, 琦, 钰
# and 淼 are). 7,610 characters, 1.0 MB as WOFF2 (2.2 MB as TrueType). Any other character
# (喆, 堃, 犇 …) comes from the GBK cut, which the page loads only when a text needs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q fonttools brotli

case "$what" in
gbk)
    cd "$work"
    npm pack @expo-google-fonts/noto-sans-sc@0.4.3 >/dev/null
    tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
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
        --output-file="$root/assets/fonts/NotoSansSC-Regular-GBK.ttf" --no-hinting --layout-features='' \
        --name-IDs='*' --name-legacy --name-languages='*'
    echo "made assets/fonts/NotoSansSC-Regular-GBK.ttf; now run: tools/make-font.sh ui"
    ;;
ui)
    cd "$root"
    "$work/venv/bin/python" - "$work" <<'PY'
import glob, os, subprocess, sys
from fontTools.ttLib import TTFont

work = sys.argv[1]
gbk = "assets/fonts/NotoSansSC-Regular-GBK.ttf"
out = "assets/fonts/NotoSansSC-Regular-UI.woff2"

def text_of(patterns):
    chars = set()
    for pattern in patterns:
        for path in sorted(glob.glob(pattern, recursive=True)):
            if "/bindings/" in path or not os.path.isfile(path):
                continue
            data = open(path, "rb").read()
            try:
                chars.update(data.decode("utf-8"))
            except UnicodeDecodeError:  # a ledger saved by Chinese Excel
                chars.update(data.decode("gb18030"))
    return chars

chars = set(chr(cp) for cp in range(0x20, 0x7F))
for lo, hi in [(0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2200), (0x2190, 0x2200), (0x2200, 0x2300),
               (0x2460, 0x2500), (0x3000, 0x3040), (0xFF00, 0xFFF0)]:
    chars.update(chr(cp) for cp in range(lo, hi))
chars |= text_of(["ui/index.html", "ui/src/**/*.ts", "ui/src/**/*.svelte", "ui/src/**/*.css"])
chars |= text_of(["crates/**/src/**/*.rs", "src-tauri/src/**/*.rs", "assets/**/*.toml",
                  "sample-data/**/*.csv", "sample-data/**/*.sh", "sample-data/**/*.md",
                  "sample-data/**/*.py"])
for b1 in range(0xB0, 0xF8):  # GB2312 levels 1 and 2 (rows 16-87)
    for b2 in range(0xA1, 0xFF):
        try:
            chars.add(bytes([b1, b2]).decode("gb2312"))
        except UnicodeDecodeError:
            pass

full = TTFont(gbk).getBestCmap()
wanted = sorted(c for c in chars if ord(c) in full)
with open(f"{work}/ui-chars.txt", "w", encoding="utf-8") as f:
    f.write("".join(wanted))
subprocess.run([f"{work}/venv/bin/pyftsubset", gbk, f"--text-file={work}/ui-chars.txt",
                f"--output-file={out}", "--flavor=woff2", "--no-hinting", "--layout-features=",
                "--name-IDs=*", "--name-legacy", "--name-languages=*"], check=True)
ui = TTFont(out).getBestCmap()
assert set(ui) == {ord(c) for c in wanted}, "the UI face lacks characters it was cut for"

def ranges(cps):
    cps = sorted(cps)
    out, start, prev = [], cps[0], cps[0]
    for cp in cps[1:] + [None]:
        if cp is not None and cp == prev + 1:
            prev = cp
            continue
        out.append(f"U+{start:X}" if start == prev else f"U+{start:X}-{prev:X}")
        if cp is not None:
            start = prev = cp
    return out

def wrap(items, indent="    "):
    lines, line = [], indent
    for item in items:
        piece = item + ","
        if len(line) + len(piece) > 100:
            lines.append(line.rstrip())
            line = indent
        line += piece + " "
    lines.append(line.rstrip().rstrip(","))
    return "\n".join(lines)

ui_range = wrap(ranges(ui))
gbk_range = wrap(ranges(full))
faces = []
for family, why in [("Lingtan Sans SC", "the interface"),
                    ("Noto Sans SC", "the charts (their SVG names the PDF's font family)")]:
    faces.append(f"""/* {family}: {why}. */
@font-face {{
  font-family: '{family}';
  src: url('../../assets/fonts/NotoSansSC-Regular-GBK.ttf') format('truetype');
  font-weight: 400;
  font-display: swap;
  unicode-range:
{gbk_range};
}}
@font-face {{
  font-family: '{family}';
  src: url('../../assets/fonts/NotoSansSC-Regular-UI.woff2') format('woff2');
  font-weight: 400;
  font-display: block;
  unicode-range:
{ui_range};
}}
""")
css = f"""/* Generated by tools/make-font.sh ui: do not edit by hand.
 *
 * The app ships its own CJK font: a Linux machine may have none (tofu boxes otherwise). Two faces
 * make each family below. The small one ({os.path.getsize(out):,} bytes, {len(ui):,} characters: the interface's
 * own text, the Rust side's messages, the sample, and GB2312 for names) is declared last, so it is
 * tried first; its unicode-range lists exactly the characters it has, so the page knows without
 * loading anything which face a character needs. The page preloads it (index.html) and blocks
 * text until it is there, a short time. The full GBK cut ({os.path.getsize(gbk):,} bytes, {len(full):,} characters) is
 * fetched only when a text holds a character the small face lacks (a rare character in a name);
 * meanwhile that character shows in a fallback font (font-display: swap), never invisible. A
 * character neither face has (₂, ✓) goes to the next family of the font stack without loading
 * either.
 */

""" + "\n".join(faces)
open("ui/src/fonts.css", "w", encoding="utf-8").write(css)
print(f"{out}: {len(ui):,} characters, {os.path.getsize(out):,} bytes; ui/src/fonts.css: "
      f"{len(ranges(ui)):,} + {len(ranges(full)):,} ranges")
PY
    ;;
*)
    echo "usage: tools/make-font.sh gbk|ui" >&2
    exit 2
    ;;
esac
