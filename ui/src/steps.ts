// The route table: the four steps of the workflow, each with its screens. The shell (App.svelte)
// draws the step bar at the top and the chosen step's left-hand navigation from this table alone,
// and shows the chosen screen's component; it names no step and no screen itself.
//
// To add a screen: write its component in steps/STEP/ (a <section id="screen-…" class="screen">
// that calls markReady() once its data is on show), add its label to lib/i18n.ts (zh and en), and
// add one line to its step below. See ui/README.md.
import type { Component } from 'svelte';
import type { Key } from './lib/i18n';
import Organisation from './steps/inventory/Organisation.svelte';
import Sites from './steps/inventory/Sites.svelte';
import Sources from './steps/inventory/Sources.svelte';
import Records from './steps/inventory/Records.svelte';
import Import from './steps/inventory/Import.svelte';
import Results from './steps/inventory/Results.svelte';
import Factors from './steps/inventory/Factors.svelte';
import Audit from './steps/inventory/Audit.svelte';
import Export from './steps/inventory/Export.svelte';
import ReductionReadiness from './steps/reduction/Readiness.svelte';
import Targets from './steps/reduction/Targets.svelte';
import Measures from './steps/reduction/Measures.svelte';
import Macc from './steps/reduction/Macc.svelte';
import Progress from './steps/reduction/Progress.svelte';
import OffsetReadiness from './steps/offset/Readiness.svelte';
import Certificates from './steps/offset/Certificates.svelte';
import Credits from './steps/offset/Credits.svelte';
import Coverage from './steps/offset/Coverage.svelte';
import Claim from './steps/certification/Claim.svelte';
import ClaimSettings from './steps/certification/Settings.svelte';
import ClaimDocuments from './steps/certification/Documents.svelte';
import Dossier from './steps/certification/Dossier.svelte';

/** One screen of a step. */
export interface ScreenRoute {
  /** Unique in the whole table (checked below): the shell names the screen's button `#nav-ID`. */
  readonly id: string;
  /** Its label in the navigation. */
  readonly label: Key;
  /** What the shell shows; it takes no props (a screen fetches its own data). */
  readonly component: Component;
}

/** One step of the workflow, in the order the top bar shows them. */
export interface StepRoute {
  /** The shell names the step's button `#step-ID`. */
  readonly id: string;
  readonly label: Key;
  /** The left-hand navigation, in order; the first is where the step opens. */
  readonly screens: readonly ScreenRoute[];
}

export const steps = [
  {
    id: 'inventory',
    label: 'stepInventory',
    screens: [
      { id: 'organisation', label: 'navOrganisation', component: Organisation },
      { id: 'sites', label: 'navSites', component: Sites },
      { id: 'sources', label: 'navSources', component: Sources },
      { id: 'records', label: 'navRecords', component: Records },
      { id: 'import', label: 'navImport', component: Import },
      { id: 'results', label: 'navResults', component: Results },
      { id: 'factors', label: 'navFactors', component: Factors },
      { id: 'audit', label: 'navAudit', component: Audit },
      { id: 'export', label: 'navExport', component: Export },
    ],
  },
  {
    id: 'reduction',
    label: 'stepReduction',
    screens: [
      { id: 'reduction-readiness', label: 'readinessTitle', component: ReductionReadiness },
      { id: 'targets', label: 'navTargets', component: Targets },
      { id: 'measures', label: 'navMeasures', component: Measures },
      { id: 'macc', label: 'navMacc', component: Macc },
      { id: 'progress', label: 'navProgress', component: Progress },
    ],
  },
  {
    id: 'offset',
    label: 'stepOffset',
    screens: [
      { id: 'offset-readiness', label: 'readinessTitle', component: OffsetReadiness },
      { id: 'certificates', label: 'navCertificates', component: Certificates },
      { id: 'credits', label: 'navCredits', component: Credits },
      { id: 'coverage', label: 'navCoverage', component: Coverage },
    ],
  },
  {
    id: 'certification',
    label: 'stepCertification',
    screens: [
      { id: 'claim', label: 'navClaim', component: Claim },
      { id: 'claim-settings', label: 'navClaimSettings', component: ClaimSettings },
      { id: 'claim-documents', label: 'navClaimDocuments', component: ClaimDocuments },
      { id: 'dossier', label: 'navDossier', component: Dossier },
    ],
  },
] as const satisfies readonly StepRoute[];

/** A step of the table, with its own screens' ids. */
export type Step = (typeof steps)[number];
export type StepId = Step['id'];

/** The screens of step `S` (of any step by default): `go('inventory', 'import')` is type-checked. */
export type ScreenId<S extends StepId = StepId> = Extract<Step, { id: S }>['screens'][number]['id'];

/** The route of a step (the first step for an id the table lacks). */
export function stepRoute(id: StepId): Step {
  return steps.find((s) => s.id === id) ?? steps[0];
}

/** The screen `id` of `step`, or the step's first screen. */
export function screenRoute(step: StepRoute, id: string | undefined): ScreenRoute {
  return step.screens.find((s) => s.id === id) ?? step.screens[0];
}

// A screen id used twice would give two buttons one element id and make `go` ambiguous: this
// line stops the type check (svelte-check, hence `npm run build`) naming the id used twice.
type IdsOf<T> = T extends readonly [infer H extends ScreenRoute, ...infer Rest] ? [H['id'], ...IdsOf<Rest>] : [];
type AllScreenIds<T> = T extends readonly [infer S extends StepRoute, ...infer Rest]
  ? [...IdsOf<S['screens']>, ...AllScreenIds<Rest>]
  : [];
type FirstRepeat<T, Seen = never> = T extends readonly [infer H, ...infer Rest]
  ? H extends Seen
    ? H
    : FirstRepeat<Rest, Seen | H>
  : never;
type ScreenIdUsedTwice = FirstRepeat<AllScreenIds<typeof steps>>;
export const screenIdsAreUnique: [ScreenIdUsedTwice] extends [never] ? true : ScreenIdUsedTwice = true;
