import { instructionsOf, parseDockerfile } from './dockerfile';

/** What docker/node-service.Dockerfile puts in an image, read from the file itself (see `readNodeServiceImage`). */
export interface NodeServiceImage {
  /** Major version of the Node image both stages use (`ARG NODE_IMAGE=node:<major>-…`). */
  nodeMajor: number;
  /** The build stage's command that assembles the app's files, as words, with `${APP}` still in them. */
  assemble: string[];
  /** Where that command puts the files: the folder the runtime stage copies, its WORKDIR's content. */
  filesDir: string;
  /** The runtime stage's ENV. */
  env: Record<string, string>;
  /** The runtime stage's ENTRYPOINT, run in the copied folder. */
  entrypoint: string[];
}

const ASSEMBLE_SCRIPT = 'docker/assemble-app.sh';

/**
 * Reads the recipe of the Linux service images, so a test can rebuild an image's content without a container engine
 * by running the same assemble line and starting the entrypoint in the result. Throws, naming the rule, when the
 * Dockerfile no longer has the shape that makes this faithful: one RUN of docker/assemble-app.sh in the build stage,
 * a runtime stage that copies exactly its output folder and nothing else, a `node` entrypoint.
 */
export function readNodeServiceImage(text: string): NodeServiceImage {
  const file = parseDockerfile(text);
  const fail = (rule: string): never => {
    throw new Error(`docker/node-service.Dockerfile: ${rule}`);
  };
  const image = file.globalArgs.find((a) => a.startsWith('NODE_IMAGE='))?.slice('NODE_IMAGE='.length) ?? '';
  const major = /^node:(\d+)[-.]/.exec(image)?.[1] ?? fail(`NODE_IMAGE must be an official node:<major>-… image (got '${image}')`);
  const build = file.stages.find((s) => s.name === 'build') ?? fail('no stage named build');
  const runtime = file.stages[file.stages.length - 1];
  const assembleRuns = instructionsOf(build, 'RUN').filter((r) => r.includes(ASSEMBLE_SCRIPT));
  if (assembleRuns.length !== 1) fail(`the build stage must RUN ${ASSEMBLE_SCRIPT} exactly once`);
  const assemble = assembleRuns[0].split(/\s+/).map((word) => word.replace(/^"(.*)"$/, '$1'));
  const filesDir = assemble[assemble.length - 1].replace(/\/$/, '');
  const copies = instructionsOf(runtime, 'COPY').concat(instructionsOf(runtime, 'ADD'));
  const expectedCopy = `--from=build ${filesDir}/ ./`;
  if (copies.length !== 1 || copies[0] !== expectedCopy) fail(`the runtime stage must copy only '${expectedCopy}' (found ${JSON.stringify(copies)})`);
  const env: Record<string, string> = {};
  for (const line of instructionsOf(runtime, 'ENV')) {
    for (const pair of line.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) fail(`ENV must be written as KEY=value (got '${line}')`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  const entrypoints = instructionsOf(runtime, 'ENTRYPOINT');
  const entrypoint = entrypoints.length === 1 ? (JSON.parse(entrypoints[0]) as string[]) : fail('the runtime stage needs one ENTRYPOINT');
  if (entrypoint[0] !== 'node') fail(`the entrypoint must run node (got ${JSON.stringify(entrypoint)})`);
  return { nodeMajor: Number(major), assemble, filesDir, env, entrypoint };
}
