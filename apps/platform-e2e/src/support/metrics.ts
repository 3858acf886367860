/**
 * The sum of a metric's samples on a service's `/metrics` that carry `label` (e.g. `kind="audio"`; empty: all of
 * them), 0 when it has none. Fails when `/metrics` does not answer 200, so a missing page never reads as zero.
 */
export async function metricSum(origin: string, name: string, label = ''): Promise<number> {
  const res = await fetch(`${origin}/metrics`);
  if (res.status !== 200) throw new Error(`GET ${origin}/metrics answered ${res.status}`);
  return (await res.text())
    .split('\n')
    .filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && line.includes(label))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
