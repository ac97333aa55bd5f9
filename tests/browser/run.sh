#!/usr/bin/env bash
# The self-check page end to end: writes it for the sample district, makes an .xls of one
# school's workbook (LibreOffice), runs the office's job on the district with that .xls, then
# opens the page from file:// in headless Chromium with two schools' workbooks and the .xls
# (self_check.py) and requires the same problems as the job's. Usage: run.sh BDTX_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
bdtx=$1
work=$(mktemp -d)
"$bdtx" self-check --registry input/danh_muc_truong.xlsx --out "$work/page" --year 2024-2025 \
  --han-sua "15/4/2025"
page="$work/page/kiem_tra_truoc_khi_gui.html"
size=$(stat -c %s "$page")
[ "$size" -le 8000000 ] || { echo "the page is $size bytes, over 8 MB"; exit 1; }
# The district with TH005's workbook as an .xls (97-2003), as some schools still send.
cp -r input "$work/input"
timeout 300 libreoffice -env:UserInstallation=file://"$work"/profile --headless \
  --convert-to xls --outdir "$work/input/TH005_ly_tu_trong" \
  "$work/input/TH005_ly_tu_trong/TH005_ly_tu_trong.xlsx" >/dev/null 2>&1
rm "$work/input/TH005_ly_tu_trong/TH005_ly_tu_trong.xlsx"
test -s "$work/input/TH005_ly_tu_trong/TH005_ly_tu_trong.xls"
"$bdtx" run --input "$work/input" --output "$work/out" --year 2024-2025 >/dev/null
python3 tests/browser/self_check.py "$page" "$work/out/2024-2025/summary.json" \
  "$work/input/TH001_kim_dong/TH001_kim_dong.xlsx" \
  "$work/input/TH002_le_loi/le_loi_doi_ngu.xlsx" "$work/input/TH002_le_loi/le_loi_bdtx.xlsx" \
  "$work/input/TH005_ly_tu_trong/TH005_ly_tu_trong.xls"
rm -rf "$work"
