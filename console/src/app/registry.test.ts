import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectMessages, collectRoutes, menuFor, routesFor, type FeatureRoute } from './registry';
import { ROUTES } from './features';
import i18n from './i18n';

const page = () => Promise.resolve({ default: () => null });

describe('collecting the features', () => {
  const modules = {
    '../features/meetings/routes.tsx': {
      routes: [
        { path: '/meetings', page: 'List', title: 'meetings.title', parties: ['residents_committee', 'owners_committee'], menu: { order: 10 } },
        { path: '/meetings/:id', page: 'Meeting', title: 'meetings.one', parties: ['residents_committee'] },
      ] satisfies FeatureRoute[],
    },
    '../features/public/routes.tsx': {
      routes: [{ path: '/notices', page: 'Board', title: 'public.board', parties: [], public: true }] satisfies FeatureRoute[],
    },
    '../features/home/routes.tsx': {
      routes: [{ path: '/', page: 'Home', title: 'home.title', parties: ['residents_committee', 'volunteer'], menu: { order: 0 } }] satisfies FeatureRoute[],
    },
  };
  const pages = {
    '../features/meetings/pages/List.tsx': page,
    '../features/meetings/pages/Meeting.tsx': page,
    '../features/public/pages/Board.tsx': page,
    '../features/home/pages/Home.tsx': page,
  };

  it('gives each route its feature and its page loader', () => {
    const routes = collectRoutes(modules, pages);
    expect(routes.map((r) => [r.feature, r.path])).toEqual([
      ['meetings', '/meetings'],
      ['meetings', '/meetings/:id'],
      ['public', '/notices'],
      ['home', '/'],
    ]);
    expect(routes[0]?.load).toBe(page);
  });

  it("builds each party's menu in order, without other parties' or public pages", () => {
    const routes = collectRoutes(modules, pages);
    expect(menuFor(routes, 'residents_committee').map((r) => r.path)).toEqual(['/', '/meetings']);
    expect(menuFor(routes, 'owners_committee').map((r) => r.path)).toEqual(['/meetings']);
    expect(routesFor(routes, 'volunteer').map((r) => r.path)).toEqual(['/']);
  });

  it('refuses a route whose page is missing, a path declared twice, or a page for nobody', () => {
    expect(() => collectRoutes(modules, { ...pages, '../features/meetings/pages/Meeting.tsx': undefined! })).toThrow(/names page Meeting/);
    const twice = { ...modules, '../features/other/routes.tsx': { routes: [{ path: '/meetings', page: 'List', title: 't', parties: ['volunteer'] }] satisfies FeatureRoute[] } };
    expect(() => collectRoutes(twice, { ...pages, '../features/other/pages/List.tsx': page })).toThrow(/declared by meetings and other/);
    const nobody = { '../features/x/routes.tsx': { routes: [{ path: '/x', page: 'X', title: 't', parties: [] }] satisfies FeatureRoute[] } };
    expect(() => collectRoutes(nobody, { '../features/x/pages/X.tsx': page })).toThrow(/neither public nor for any party/);
  });

  it("puts each feature's strings under its name, one language at a time", () => {
    const files = {
      '../features/meetings/locales/zh-CN.json': { default: { title: '联席会议' } },
      '../features/meetings/locales/en.json': { default: { title: 'Joint meetings' } },
    };
    expect(collectMessages(files, 'en')).toEqual({ meetings: { title: 'Joint meetings' } });
    expect(collectMessages(files, 'zh-CN')).toEqual({ meetings: { title: '联席会议' } });
  });
});

describe('the features in this tree', () => {
  type Tree = { [key: string]: string | Tree };
  const keys = (tree: Tree, prefix = ''): string[] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
  const features = join(__dirname, '..', 'features');
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf-8')) as Tree;

  it.each(readdirSync(features))('%s has the same strings in zh-CN and en', (feature) => {
    const zh = keys(read(join(features, feature, 'locales', 'zh-CN.json'))).sort();
    const en = keys(read(join(features, feature, 'locales', 'en.json'))).sort();
    expect(en).toEqual(zh);
  });

  it('the app has the same strings in zh-CN and en', () => {
    const zh = keys(read(join(__dirname, '..', 'locales', 'zh-CN.json'))).sort();
    const en = keys(read(join(__dirname, '..', 'locales', 'en.json'))).sort();
    expect(en).toEqual(zh);
  });

  it('every route has a title in both languages', () => {
    expect(ROUTES.length).toBeGreaterThan(0);
    for (const route of ROUTES) {
      for (const language of ['zh-CN', 'en']) {
        expect(i18n.exists(route.title, { lng: language }), `${route.title} in ${language}`).toBe(true);
      }
    }
  });
});
