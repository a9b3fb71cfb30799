"""Write the import benchmark's meter export: 20 meters x 35,040 quarter-hours of 2023 = 700,800
rows, long format (时间, 表计, 电量(kWh)), interval-ending timestamps (first 2023-01-01 00:15, last
2024-01-01 00:00). Writes a CSV; bench/import.sh has LibreOffice Calc turn it into .xlsx, so the
workbook is one a real spreadsheet application wrote. Values are deterministic (no random seed
needed): a daily shape per meter, two decimals."""
import datetime as dt
import sys

out = sys.argv[1]
start = dt.datetime(2023, 1, 1)
meters = [f"M{m:02d}" for m in range(1, 21)]
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("时间,表计,电量(kWh)\n")
    for k in range(35040):
        t = start + dt.timedelta(minutes=15 * (k + 1))
        stamp = t.strftime("%Y-%m-%d %H:%M:%S")
        q = k % 96
        day_shape = 40 + (q * 7 % 53) + (30 if 32 <= q < 72 else 0)
        for i, m in enumerate(meters):
            cents = (day_shape * 100 + i * 37 + (k * 13 + i * 7) % 100) * (i % 5 + 1)
            f.write(f"{stamp},{m},{cents // 100}.{cents % 100:02d}\n")
