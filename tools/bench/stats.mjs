// Small statistics for the benchmarks: median and spread (min–max) of repeated runs.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function spread(values) {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** "12.3 (11.9–13.0)": the median of the runs and their range. */
export function describe(values, digits = 1) {
  const { min, max } = spread(values);
  return `${median(values).toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}
