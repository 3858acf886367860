// Validates Kubernetes objects against the Kubernetes OpenAPI schemas of the `kubernetes-models` package.
// kubernetes-models is published as ES modules only, which Jest (CommonJS here) cannot load, so the tests run this
// script with plain node: a JSON array of objects on stdin, a JSON array of {index, error} on stdout.
const read = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

/** `apps/v1` + StatefulSet -> kubernetes-models/apps/v1/StatefulSet; the core group `v1` lives at kubernetes-models/v1. */
const modulePath = ({ apiVersion, kind }) => `kubernetes-models/${apiVersion}/${kind}`;

const objects = await read();
const results = [];
for (const [index, object] of objects.entries()) {
  let Model;
  try {
    Model = (await import(modulePath(object)))[object.kind];
  } catch {
    results.push({ index, error: `no schema for ${object.apiVersion} ${object.kind}` });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (err) {
    results.push({ index, error: err instanceof Error ? err.message : String(err) });
  }
}
process.stdout.write(JSON.stringify(results));
