// Validates every document of the given YAML files against the schema of its apiVersion and kind
// (Kubernetes' own OpenAPI schemas, and the Prometheus Operator's CRDs, as packaged by
// kubernetes-models). Prints one line per document; exits 1 if any is invalid or unknown.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const CORE = "kubernetes-models";
const OPERATOR = "@kubernetes-models/prometheus-operator";

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const module = group === "monitoring.coreos.com"
    ? `${OPERATOR}/${group}/${version}/${kind}`
    : `${CORE}/${group ? group + "/" : ""}${version}/${kind}`;
  return (await import(module))[kind];
}

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.log(`${file}: YAML error: ${doc.errors[0].message}`);
      failed = true;
      continue;
    }
    const object = doc.toJS();
    if (object === null) continue;
    const name = `${file}: ${object.kind} ${object.metadata && object.metadata.name}`;
    try {
      const Model = await modelFor(object.apiVersion, object.kind);
      new Model(object).validate();
      console.log(`${name}: valid`);
    } catch (e) {
      console.log(`${name}: INVALID: ${e.message}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
