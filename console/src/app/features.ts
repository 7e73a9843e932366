/** The features found in src/features/, collected by Vite at build time. */
import { collectMessages, collectRoutes, type FeatureRoute } from './registry';

const routeModules = import.meta.glob<{ routes: FeatureRoute[] }>('../features/*/routes.tsx', { eager: true });
// A page's tests sit beside it; they are not pages.
const pageLoaders = import.meta.glob(['../features/*/pages/*.tsx', '!../features/*/pages/*.test.tsx']);
const localeFiles = import.meta.glob<{ default: Record<string, never> }>('../features/*/locales/*.json', {
  eager: true,
});

export const ROUTES = collectRoutes(routeModules, pageLoaders);

export function featureMessages(language: string) {
  return collectMessages(localeFiles, language);
}
