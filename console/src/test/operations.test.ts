import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FeatureRoute } from '../app/registry';
import { checkOperations, type Audience, type Source } from './operationCheck';

const SRC = join(__dirname, '..');
const SCHEMA = join(SRC, '..', 'schema');

function sourceFiles(folder: string): Source[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'gql' || name === 'test' ? [] : sourceFiles(path);
    if (!/\.tsx?$/.test(name) || /\.test\.tsx?$/.test(name)) return [];
    return [{ file: relative(SRC, path).split('\\').join('/'), text: readFileSync(path, 'utf-8') }];
  });
}

const routeModules = import.meta.glob<{ routes: FeatureRoute[] }>('../features/*/routes.tsx', { eager: true });
const routesByFeature = Object.fromEntries(
  Object.entries(routeModules).map(([file, module]) => [file.split('/')[2]!, module.routes]),
);
const schemaText = (audience: Audience) => readFileSync(join(SCHEMA, `${audience}.graphql`), 'utf-8');

describe('every operation against the schema of each party that runs it', () => {
  it('finds no field a party cannot see', () => {
    const { problems, checked } = checkOperations(sourceFiles(SRC), routesByFeature, schemaText);
    expect(problems.map((p) => `${p.file} [${p.audience ?? '?'}]: ${p.message}`)).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it('fails a page that asks for a field its party cannot see', () => {
    const routes: Record<string, FeatureRoute[]> = {
      shop: [{ path: '/shop', page: 'Shop', title: 'shop.title', parties: ['volunteer', 'residents_committee'] }],
    };
    const page = 'const Q = graphql(`query AuditForAll { auditLog(first: 1) { totalCount } }`);';
    const { problems } = checkOperations([{ file: 'features/shop/pages/Shop.tsx', text: page }], routes, schemaText);
    expect(problems.map((p) => p.audience)).toEqual(['volunteer']);
    expect(problems[0]?.message).toContain('auditLog');
  });

  it('checks a file against the parties it names, and refuses a file nobody claims', () => {
    const named = '// @parties anonymous\nconst Q = graphql(`query About { about { name } }`);';
    const orphan = 'const Q = graphql(`query Viewer2 { viewer { accountId } }`);';
    const { problems } = checkOperations(
      [
        { file: 'app/about.ts', text: named },
        { file: 'lib/orphan.ts', text: orphan },
      ],
      {},
      schemaText,
    );
    expect(problems).toEqual([{ file: 'lib/orphan.ts', audience: null, message: expect.stringContaining('no route') }]);
  });

  it('adds the fragments a document spreads from other files', () => {
    const fragment = '// @parties volunteer\nconst F = graphql(`fragment Me on Viewer { accountId }`);';
    const query = '// @parties volunteer\nconst Q = graphql(`query WithMe { viewer { ...Me } }`);';
    const { problems, checked } = checkOperations(
      [
        { file: 'a.ts', text: fragment },
        { file: 'b.ts', text: query },
      ],
      {},
      schemaText,
    );
    expect(problems).toEqual([]);
    expect(checked).toBe(1);
  });
});
