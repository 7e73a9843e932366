// @vitest-environment node
/**
 * src/gql is what `npm run codegen` makes of the documents in this tree: a page whose operation
 * changed without codegen (or generated files from someone else's unfinished pages) fails here.
 */
import { generate } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import config from '../../codegen';

const ROOT = join(__dirname, '..', '..');

describe('the generated operations', () => {
  it('are the ones codegen makes of the documents in the tree', async () => {
    process.chdir(ROOT);
    const outputs = (await generate({ ...config, silent: true, cwd: ROOT }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    const stale = outputs
      .filter((output) => readFileSync(join(ROOT, output.filename), 'utf-8') !== output.content)
      .map((output) => output.filename);
    expect(stale, 'run `npm run codegen` and commit console/src/gql').toEqual([]);
  });
});
