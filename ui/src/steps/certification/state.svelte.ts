// What the Certification step's screens share: the framework and the claim period chosen at the
// top of each screen (the Claim, Documents and Dossier screens show the same claim).
import type { ClaimRequest } from '../../bindings/ClaimRequest';

export const frameworks = ['iso14068-1', 'pas2060', 'zcf-i', 'zcf-ii'] as const;

export const certification = $state({
  framework: 'iso14068-1' as string,
  /** `year`: a calendar year (`year`, empty for the project's); `dates`: `from` to `to`. */
  periodKind: 'year' as 'year' | 'dates',
  year: '',
  from: '',
  to: '',
});

/** The claim asked for, as the commands take it. */
export function claimRequest(): ClaimRequest {
  const c = certification;
  return c.periodKind === 'dates'
    ? { framework: c.framework, year: null, from: c.from, to: c.to }
    : { framework: c.framework, year: c.year.trim() === '' ? null : c.year, from: null, to: null };
}
