/**
 * Features plug in here without editing a shared file: each folder under src/features/ has a
 * routes.tsx exporting `routes` (FeatureRoute[]) and locales/{zh-CN,en}.json. The page of a route is
 * a file of the feature's pages/ folder, loaded only when the route is opened, so the first page
 * stays small and the operation check knows which parties each page's operations serve.
 */
import type { ComponentType, ReactNode } from 'react';
import type { PartyType } from './parties';

export interface FeatureRoute {
  /** Absolute path, react-router syntax: '/meetings/:meetingId'. */
  path: string;
  /** File name in the feature's pages/ folder without '.tsx'; it default-exports the page. */
  page: string;
  /** i18n key of the page title (also the menu label). */
  title: string;
  /** Party types that may open it. Empty for a public page. */
  parties: readonly PartyType[];
  /** Shown without sign-in, outside the signed-in layout. */
  public?: boolean;
  /** Listed in the side menu when given; lower order comes first. */
  menu?: { order: number; icon?: ReactNode; group?: string };
}

export interface Feature {
  name: string;
  routes: FeatureRoute[];
}

type PageModule = { default: ComponentType };
export type PageLoader = () => Promise<PageModule>;

export interface RegisteredRoute extends FeatureRoute {
  feature: string;
  load: PageLoader;
}

const FEATURE_PATH = /^\.\.\/features\/([^/]+)\//;

export function featureOf(path: string): string {
  const match = FEATURE_PATH.exec(path);
  if (!match?.[1]) throw new Error(`not a feature file: ${path}`);
  return match[1];
}

/** Every feature's routes, each with the loader of its page; fails loudly on a page that is not there. */
export function collectRoutes(
  routeModules: Record<string, { routes: FeatureRoute[] }>,
  pageLoaders: Record<string, () => Promise<unknown>>,
): RegisteredRoute[] {
  const seen = new Map<string, string>();
  const collected: RegisteredRoute[] = [];
  for (const [file, module] of Object.entries(routeModules)) {
    const feature = featureOf(file);
    for (const route of module.routes) {
      const pageFile = `../features/${feature}/pages/${route.page}.tsx`;
      const load = pageLoaders[pageFile];
      if (!load) throw new Error(`${feature}: route ${route.path} names page ${route.page}, not in pages/`);
      const other = seen.get(route.path);
      if (other) throw new Error(`route ${route.path} is declared by ${other} and ${feature}`);
      if (!route.public && route.parties.length === 0) {
        throw new Error(`${feature}: route ${route.path} is neither public nor for any party`);
      }
      seen.set(route.path, feature);
      collected.push({ ...route, feature, load: load as PageLoader });
    }
  }
  return collected;
}

/** The routes a party may open, and the ones of them that are in its menu, in menu order. */
export function routesFor(routes: RegisteredRoute[], party: PartyType): RegisteredRoute[] {
  return routes.filter((r) => !r.public && r.parties.includes(party));
}

export function menuFor(routes: RegisteredRoute[], party: PartyType): RegisteredRoute[] {
  return routesFor(routes, party)
    .filter((r) => r.menu)
    .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0) || a.path.localeCompare(b.path));
}

type Messages = { [key: string]: string | Messages };

/**
 * i18n resources of every feature under its own key: features/meetings/locales/en.json is
 * t('meetings.…'). The app's own strings (src/locales) stay at the top level.
 */
export function collectMessages(
  files: Record<string, { default: Messages } | Messages>,
  language: string,
): Messages {
  const messages: Messages = {};
  for (const [file, module] of Object.entries(files)) {
    if (!file.endsWith(`/locales/${language}.json`)) continue;
    const content = ('default' in module ? module.default : module) as Messages;
    messages[featureOf(file)] = content;
  }
  return messages;
}
