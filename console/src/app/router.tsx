import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, type RouteObject } from 'react-router-dom';
import { ROUTES } from './features';
import type { RegisteredRoute } from './registry';
import RequireSession from './RequireSession';
import { useViewer } from './viewer';

/** A page another party's menu leads to: said in words, not shown blank. */
function ForParties({ route, children }: { route: RegisteredRoute; children: ReactNode }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  if (route.parties.includes(viewer.partyType)) return children;
  return (
    <Result
      status="403"
      title={t('app.notForParty')}
      extra={
        <Link to="/">
          <Button type="primary">{t('app.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('app.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('app.backHome')}</Button>
        </Link>
      }
    />
  );
}

function lazyPage(route: RegisteredRoute, guarded: boolean): RouteObject['lazy'] {
  return async () => {
    const { default: Page } = await route.load();
    return {
      Component: guarded
        ? () => (
            <ForParties route={route}>
              <Page />
            </ForParties>
          )
        : Page,
    };
  };
}

export function routeObjects(routes: RegisteredRoute[]): RouteObject[] {
  return [
    ...routes.filter((r) => r.public).map((r) => ({ path: r.path, lazy: lazyPage(r, false) })),
    {
      element: <RequireSession />,
      children: [
        ...routes.filter((r) => !r.public).map((r) => ({ path: r.path, lazy: lazyPage(r, true) })),
        { path: '*', element: <NotFound /> },
      ],
    },
  ];
}

export const router = createBrowserRouter(routeObjects(ROUTES));
