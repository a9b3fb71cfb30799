// App-wide rune state: the language, the open project, where we are, and form helpers.
import { tick } from 'svelte';
import { zh, en, type Key } from './i18n';
import { api, toApiError } from './api';
import type { Lang } from './format';
import type { ProjectSummary } from '../bindings/ProjectSummary';
// types only: the route table imports the screens, which import this module
import type { ScreenId, StepId } from '../steps';

export const ui = $state({
  lang: 'zh' as Lang,
  /** Bumped after the Rust side switched language or data changed: screens re-fetch. */
  dataVersion: 0,
});

export const session = $state({
  project: null as ProjectSummary | null,
  step: 'inventory' as StepId,
  /** The screen on show in each step; a step not visited yet opens on its first screen. */
  screens: {} as { [S in StepId]?: ScreenId<S> },
  /** An error with no field to sit next to, shown in the top banner. */
  banner: null as string | null,
  /** A file dropped on the window, for the Import screen to take. */
  dropped: null as string | null,
});

const dicts = { zh, en };

/** The string for `key` in the current language; `{name}` placeholders are filled from `args`. */
export function t(key: Key, args?: Record<string, string | number>): string {
  let s: string = dicts[ui.lang][key];
  if (args) for (const [k, v] of Object.entries(args)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function applyLang(lang: Lang) {
  ui.lang = lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** Switch at once, then tell Rust (messages, charts) and let the screens re-fetch. */
export async function switchLang(lang: Lang) {
  applyLang(lang);
  try {
    await api.setLanguage(lang);
  } catch (e) {
    session.banner = toApiError(e).message;
  }
  ui.dataVersion++;
}

export function notReady() {
  delete document.body.dataset.ready;
}

/** The screen on show has rendered with its data (tests wait for this). */
export function markReady() {
  void tick().then(() => {
    document.body.dataset.ready = 'true';
  });
}

/**
 * Show `step`, on `screen` (or on the screen it showed last). The shell marks the page not ready
 * when what is on show changes, and the new screen marks it ready once its data is there.
 */
export function go<S extends StepId>(step: S, screen?: ScreenId<S>) {
  session.step = step;
  // (TypeScript cannot follow S into the mapped type; the signature already checked the pair)
  if (screen) (session.screens as Record<string, string>)[step] = screen;
}

export function enterProject(p: ProjectSummary) {
  notReady();
  session.project = p;
  session.banner = null;
  session.step = 'inventory';
  session.screens = { inventory: p.records > 0 ? 'results' : 'sites' };
}

/** Fetch the project summary again after a change (record counts, details). */
export async function refreshProject() {
  try {
    session.project = await api.projectSummary();
  } catch (e) {
    session.banner = toApiError(e).message;
  }
}

/**
 * One form's errors and busy flag. `fields` are the ApiError field names this form shows next to
 * its inputs; any other error goes to the form's banner.
 */
export class Form {
  errors: Record<string, string> = $state({});
  banner: string | null = $state(null);
  busy = $state(false);
  fields: readonly string[];

  constructor(fields: readonly string[] = []) {
    this.fields = fields;
  }

  clear() {
    this.errors = {};
    this.banner = null;
  }

  fail(e: unknown) {
    const err = toApiError(e);
    if (err.field && this.fields.includes(err.field)) this.errors = { ...this.errors, [err.field]: err.message };
    else this.banner = err.message;
  }

  /** A local check failed: show `message` next to `field`. */
  set(field: string, message: string) {
    this.errors = { ...this.errors, [field]: message };
  }

  /** Run an action once at a time; true when it succeeded. */
  async run(fn: () => Promise<unknown>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.clear();
    try {
      await fn();
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** A screen's data load: loading flag + banner on failure. */
export class Loader {
  loading = $state(false);
  error: string | null = $state(null);
  private gen = 0;

  async run(fn: () => Promise<void>): Promise<void> {
    const g = ++this.gen;
    this.loading = true;
    this.error = null;
    try {
      await fn();
    } catch (e) {
      if (g === this.gen) this.error = toApiError(e).message;
    } finally {
      if (g === this.gen) this.loading = false;
    }
  }
}
