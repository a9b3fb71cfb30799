// What the Reduction step's screens share: the year and basis its figures are shown for (the
// picker at the top of each screen), and the measure to open on the Measures screen (a click on
// a MACC bar or a Progress row sends the person there with it).
export const reduction = $state({
  /** The reporting year; null: the project's year. */
  year: null as number | null,
  /** Scope 2 basis of abatement, MAC and progress: `market` (the default) or `location`. */
  basis: 'market' as 'market' | 'location',
  /** The measure the Measures screen opens in its form, once, when it next loads. */
  openMeasure: null as string | null,
});
