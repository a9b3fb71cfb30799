// Display formatting by string manipulation only: decimals arrive as exact strings.
import type { IssueDto } from '../bindings/IssueDto';

export type Lang = 'zh' | 'en';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2107.120" → "2,107.120"; anything that is not a plain decimal is shown as given. */
export function num(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value).trim();
  const m = /^([+-]?)(\d+)(\.\d*)?$/.exec(s);
  if (!m) return s;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] ?? '');
}

/** "2024-03-01" → "2024年3月1日" / "1 Mar 2024". */
export function date(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  const [y, mo, d] = [m[1], Number(m[2]), Number(m[3])];
  return lang === 'zh' ? `${y}年${mo}月${d}日` : `${d} ${MONTHS_EN[mo - 1] ?? mo} ${y}`;
}

/** "2024-03" → "2024年3月" / "Mar 2024". */
export function month(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m) return value;
  const mo = Number(m[2]);
  return lang === 'zh' ? `${m[1]}年${mo}月` : `${MONTHS_EN[mo - 1] ?? mo} ${m[1]}`;
}

/** A timestamp "2024-03-01T08:05:00Z" / "2024-03-01 08:05:00" → date + hh:mm (as stored). */
export function dateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?/.exec(value);
  if (!m) return date(value, lang);
  return `${date(m[1], lang)} ${m[2]}${m[3] ?? ''}`;
}

/** First characters of a hash. */
export function short(hash: string | null | undefined, n = 12): string {
  if (!hash) return '';
  return hash.length > n ? hash.slice(0, n) + '…' : hash;
}

/** Last path component (either separator). */
export function baseName(path: string | null | undefined): string {
  if (!path) return '';
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Where an issue is: "Sheet1!C5", "Sheet1 row 5" / "Sheet1 第5行", or the place it names. */
export function issuePlace(i: IssueDto, lang: Lang): string {
  const sheet = i.sheet ?? '';
  if (i.cell) return sheet ? `${sheet}!${i.cell}` : i.cell;
  if (i.column && i.row !== null) return sheet ? `${sheet}!${i.column}${i.row}` : `${i.column}${i.row}`;
  if (i.row !== null) {
    const r = lang === 'zh' ? `第${i.row}行` : `row ${i.row}`;
    return sheet ? `${sheet} ${r}` : r;
  }
  if (i.column) return sheet ? `${sheet}!${i.column}` : i.column;
  if (sheet) return sheet;
  return i.place ?? '';
}

const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then the rest; stable otherwise. */
export function sortIssues<T extends { severity: string }>(issues: T[]): T[] {
  return issues
    .map((x, i) => ({ x, i }))
    .sort((a, b) => (SEVERITY_ORDER[a.x.severity] ?? 3) - (SEVERITY_ORDER[b.x.severity] ?? 3) || a.i - b.i)
    .map((p) => p.x);
}
