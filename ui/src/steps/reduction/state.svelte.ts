// What the Reduction step's screens share: the measure to open on the Measures screen (a click
// on a MACC bar or a Progress row sends the person there with it).
export const reduction = $state({
  /** The measure the Measures screen opens in its form, once, when it next loads. */
  openMeasure: null as string | null,
});
